/**
 * The program hands the SDK what it has constructed before it constructs more: it waits for the
 * next turn of the event loop after each tenant's applications, and in each cloud's pass after
 * each tenant's (or workload's) identities, never for a registration to complete.
 *
 * Why: the SDK keeps the whole pending state of every constructed resource (its Outputs, their
 * promises, the registration request) until the engine has answered its registration. Constructed
 * all at once, 1,000 tenants' 19,000 resources were all pending together: 2 GB of live heap that
 * every collection had to copy or mark, and resources waiting on another one's output (a grant on
 * its client's id) waited through all the others. One tenant at a time, the SDK's queued work for
 * that tenant runs in the same turn (promise jobs) and its I/O in the next, so deployments still
 * run in parallel: the program never waits on the engine, it only lets the event loop run.
 */
export function nextTurn(): Promise<void> {
  return new Promise((resolve) => setImmediate(resolve));
}
