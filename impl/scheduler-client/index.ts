/** The TypeScript scheduler client: the scheduler machine over the v1 HTTP API. */
export * from './client.ts';
export { commandTask } from './tasks.ts';
