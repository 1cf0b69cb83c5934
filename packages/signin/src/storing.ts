import { OtpError, StorageError } from '@otpkit/core';

/** Runs a storage call, turning a driver's error into a StorageError (otpkit's own errors pass through). */
export async function storing<T>(work: () => PromiseLike<T>): Promise<T> {
  try {
    return await work();
  } catch (error) {
    if (error instanceof OtpError) throw error;
    throw new StorageError(undefined, { cause: error });
  }
}
