/**
 * Names of common authenticator models by AAGUID, as their makers publish them (FIDO metadata and
 * the passkey providers' own lists). Anything else shows as its AAGUID; add names with the
 * plugin's `aaguidNames` option.
 */
const KNOWN_AAGUIDS: Readonly<Record<string, string>> = Object.freeze({
  'ea9b8d66-4d01-1d21-3ce4-b6b48cb575d4': 'Google Password Manager',
  'adce0002-35bc-c60a-648b-0b25f1f05503': 'Chrome on Mac',
  'dd4ec289-e01d-41c9-bb89-70fa845d4bf2': 'iCloud Keychain (Managed)',
  'fbfc3007-154e-4ecc-8c0b-6e020557d7bd': 'iCloud Keychain',
  '08987058-cadc-4b81-b6e1-30de50dcbe96': 'Windows Hello',
  '9ddd1817-af5a-4672-a2b9-3e3dd95000a9': 'Windows Hello',
  '6028b017-b1d4-4c02-b4b3-afcdafc96bb2': 'Windows Hello',
  'bada5566-a7aa-401f-bd96-45619a55120d': '1Password',
  'd548826e-79b4-db40-a3d8-11116f7e8349': 'Bitwarden',
  '531126d6-e717-415c-9320-3d9aa6981239': 'Dashlane',
  'cb69481e-8ff7-4039-93ec-0a2729a154a8': 'YubiKey 5 Series',
  'ee882879-721c-4913-9775-3dfcce97072a': 'YubiKey 5 Series',
  'fa2b99dc-9e39-4257-8f92-4a30d23c4118': 'YubiKey 5 Series with NFC',
  '2fc0579f-8113-47ea-b116-bb5a8db9202a': 'YubiKey 5 Series with NFC',
  'c5ef55ff-ad9a-4b9f-b580-adebafe026d0': 'YubiKey 5Ci',
  'a4e9fc6d-4cbe-4758-b8ba-37598bb5bbaa': 'Security Key NFC by Yubico',
  '149a2021-8ef6-4133-96b8-81f8d5b7f1f5': 'Security Key by Yubico',
  'f8a011f3-8c0a-4d15-8006-17111f9edc7d': 'Security Key by Yubico',
  'b92c3f9a-c014-4056-887f-140a2501163b': 'Security Key by Yubico',
  '6d44ba9b-f6ec-2e49-b930-0c8fe920cb73': 'Security Key NFC by Yubico',
  '2c0df832-92de-4be1-8412-88a8f074df4a': 'Feitian ePass FIDO',
  '42b4fb4a-2866-43b2-9bf7-6c6669c2e5d3': 'Google Titan Security Key v2',
});

/** The all-zero AAGUID an authenticator reports when it keeps its model private (attestation `none`). */
const ANONYMOUS = '00000000-0000-0000-0000-000000000000';

/** The model name of `aaguid` (from `extra`, else the built-in list), or `null` when unknown or anonymous. */
export function aaguidName(aaguid: string | null, extra: Readonly<Record<string, string>> = {}): string | null {
  if (aaguid === null || aaguid === ANONYMOUS) return null;
  const key = aaguid.toLowerCase();
  return extra[key] ?? KNOWN_AAGUIDS[key] ?? null;
}
