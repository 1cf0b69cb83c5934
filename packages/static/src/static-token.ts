import { Model, snakeCaseMappers } from 'objection';

/** One backup code of a {@link StaticDevice}: only its digest is stored, never the code. */
export class StaticToken extends Model {
  static override tableName = 'otp_static_token';
  static override columnNameMappers = snakeCaseMappers();

  declare id: number;
  /** The id of the static device the code belongs to. */
  declare deviceId: number;
  /** The code's digest (`SecretBox.digest`): keyed HMAC-SHA-256 when secret keys are configured. */
  declare tokenHash: string;
}
