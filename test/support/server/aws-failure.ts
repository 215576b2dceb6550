/** Runs an SDK call that must fail and returns the AWS error it threw (name, status, message). */
export async function failure(fn: () => Promise<unknown>) {
  try {
    await fn();
  } catch (err: any) {
    return { name: err.name as string, status: err.$metadata?.httpStatusCode as number, message: err.message as string };
  }
  throw new Error('expected the call to fail');
}
