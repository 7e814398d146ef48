/**
 * A session is what one kind of exercise adds to what runs in the sandbox: the one module students may
 * import, what it provides, and how the student's module is invoked for one execution. The engine host
 * and guest.ts stay generic (IPC, caps, stuck detection, an engine per execution); each kind ships a
 * session factory, and the grader on the other side of the pipe answers the calls it makes.
 *
 * A factory runs in each execution's QuickJS engine and is shipped as the text of its function, so,
 * like guest.ts, it must be self-contained: no imports, no references to anything outside its own
 * body. It is no more trusted than the student's code that runs beside it.
 */

/** What guest.ts gives a session for one execution. */
export interface SessionEnv {
  /** The execution's input, as the grader sent it in the `run` message. */
  req: unknown;
  /**
   * Asks the grader; resolves with its answer or rejects with a ServiceError it describes. With
   * `answerHere`, a call whose answer is a pure function of its arguments (and of the input) is
   * answered inside the sandbox, by the same rules the grader holds (the profile's library): the grader
   * still gets the call and records it, and sends no answer back. `answerHere` gets the arguments as
   * the grader would (through JSON) and returns `{ value }`, or undefined to ask the grader after all
   * (a refusal comes from there, as a ServiceError). Either way the answer arrives as a call's would:
   * `callLatencyMs` later on the execution's clock, in the same order with other calls and timers, as
   * a fresh copy, and an unhandled rejection is noticed the same way.
   */
  call(
    service: string,
    method: string,
    args: unknown[],
    answerHere?: (args: unknown[]) => { value: unknown } | undefined,
  ): Promise<unknown>;
  /** The error class failed calls reject with (kind, status, retryable). */
  ServiceError: new (message: string) => Error;
}

export interface Session {
  /** The only import the student's module may use, e.g. "flagship:checkout". */
  moduleName: string;
  /** The exports of that module for this execution. */
  provided: Record<string, unknown>;
  /** Runs the student's code for this execution; what it resolves with is sent to the grader. */
  invoke(exports: Record<string, unknown>): unknown;
  /**
   * Seeds `Math.random` for this execution (guest.ts replaces it with a seeded generator before the
   * module loads), so code that draws random numbers still grades the same way every time.
   */
  seed?: number;
}

export type SessionFactory = (env: SessionEnv) => Session;

/** A session plus the name the transpiler allows, checked to agree by each kind's tests. */
export interface SandboxProfile<Library = unknown> {
  moduleName: string;
  /**
   * Runs once per execution; gets what `library` made as its second argument. Declared as a method so
   * that a profile of any library can be passed where a `SandboxProfile` is wanted.
   */
  session(env: SessionEnv, library: Library): Session;
  /**
   * Code a session shares with the grader: each a function shipped as its text (so self-contained,
   * like the session) and run once when a submission loads, the session getting what each made under
   * its name. One implementation for both sides, such as the dark-launch rules the sandbox answers
   * calls by and the grader refuses them by.
   */
  library?: { [Name in keyof Library]: () => Library[Name] };
}

/**
 * The checkout exercises' session: `checkout(req, deps)` from `flagship:checkout`, where every deps
 * method is a call to the grader.
 */
export function checkoutSession(env: SessionEnv): Session {
  "use strict";
  const services: Record<string, string[]> = {
    users: ["getUser"],
    carts: ["getCart", "updateCart"],
    pricing: ["getAdjustment"],
    payments: ["charge"],
    email: ["sendDiscountEmail"],
  };
  const deps: Record<string, Record<string, (...args: unknown[]) => Promise<unknown>>> = {};
  for (const service of Object.keys(services)) {
    const methods: Record<string, (...args: unknown[]) => Promise<unknown>> = {};
    for (const method of services[service] ?? [])
      methods[method] = (...args: unknown[]) => env.call(service, method, args);
    deps[service] = methods;
  }
  return {
    moduleName: "flagship:checkout",
    provided: { ServiceError: env.ServiceError },
    invoke(exports) {
      const checkout = exports["checkout"];
      if (typeof checkout !== "function") throw new Error("the module does not export a checkout function");
      return checkout(env.req, deps);
    },
  };
}

export const CHECKOUT_PROFILE: SandboxProfile<void> = { moduleName: "flagship:checkout", session: checkoutSession };
