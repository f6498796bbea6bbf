// The slice of a logger the APNs package writes to (a pino Logger fits it).

export interface ApnsLogger {
  info(details: Record<string, unknown>, message: string): void;
  warn(details: Record<string, unknown>, message: string): void;
}
