// Waiting for a server a test or benchmark started to answer (shared by e2e/ and bench/).

/** Resolves once `base` answers its API, or throws after about ten seconds. */
export async function waitForServer(base) {
  for (let i = 0; i <= 100; i++) {
    try {
      if ((await fetch(`${base}/api/sections`)).ok) return;
    } catch {
      // not listening yet
    }
    await new Promise((r) => setTimeout(r, 100));
  }
  throw new Error(`the server at ${base} did not start`);
}
