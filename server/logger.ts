/** What background work logs through: fastify's logger in the server, JSON lines in `lungang worker`. */
export interface Logger {
  info(obj: object, msg?: string): void;
  error(obj: object, msg?: string): void;
}
