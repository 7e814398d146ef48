import { pino, type DestinationStream, type Logger } from "pino";

/**
 * Structured JSON logs. Anything that could carry a credential is redacted at the logger, so a
 * careless log call cannot leak it.
 */
export function createLogger(level: string, destination?: DestinationStream): Logger {
  const options = {
    level,
    redact: {
      paths: [
        "req.headers.cookie",
        "req.headers.authorization",
        "req.headers['x-csrf-token']",
        "res.headers['set-cookie']",
        "password",
        "*.password",
        "secret",
        "*.secret",
        "token",
        "*.token",
      ],
      censor: "[redacted]",
    },
  };
  return destination ? pino(options, destination) : pino(options);
}

export type { Logger };
