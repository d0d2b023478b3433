/**
 * Small HTTP helpers shared by the runtime's servers and clients (master, agent, scheduler
 * client): body reading, content negotiation, plain and RecordIO responses, a v0 JSON writer,
 * and a client. No protocol logic lives here.
 */
export * from './body.ts';
export * from './negotiate.ts';
export * from './respond.ts';
export * from './recordio.ts';
export * from './json.ts';
export * from './client.ts';
export * from './listen.ts';
