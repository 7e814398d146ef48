/**
 * Types of the `flagship:gateway-testing` module that student test files for the home-page gateway
 * import. At run time ./session.ts provides it inside the sandbox (told by ./gateway-subject.ts which
 * calls to mock); this declaration lets editors type-check the starter, reference and samples. Keep it
 * in step with ./gateway-contract.ts, ./matchers.ts and the starter's header comment.
 */
declare module "flagship:gateway-testing" {
  export type FaultKind = "unavailable" | "timeout" | "internal" | "overloaded";
  export interface HomeRequest {
    userId: string;
  }
  export interface Recommendation {
    id: string;
    title: string;
  }
  export interface Banner {
    text: string;
    code: string;
  }
  export type HomeResponse =
    | {
        status: 200;
        body: {
          greeting: string;
          recommendations: Recommendation[];
          banner: Banner | null;
          degraded: ("recommendations" | "promotions")[];
        };
      }
    | { status: 503; body: { error: string } };
  export interface Mock {
    returns(value: unknown): void;
    fails(kind?: FaultKind): void;
    /** The arguments of each call the last request made. */
    readonly calls: unknown[][];
  }
  export interface Mocks {
    profile: { getProfile: Mock };
    recommendations: { getForUser: Mock };
    promotions: { getBanner: Mock };
  }
  export interface Matchers {
    toBe(expected: unknown): void;
    toEqual(expected: unknown): void;
    toStrictEqual(expected: unknown): void;
    toMatchObject(expected: unknown): void;
    toContain(expected: unknown): void;
    toHaveLength(expected: number): void;
    toBeGreaterThan(expected: number): void;
    toBeLessThan(expected: number): void;
    toBeUndefined(): void;
    toBeDefined(): void;
    toBeNull(): void;
    toBeTruthy(): void;
    toBeFalsy(): void;
  }
  export interface TestContext {
    home(request: HomeRequest): Promise<HomeResponse>;
    mocks: Mocks;
    expect(actual: unknown): Matchers & { not: Matchers };
  }
  export function test(name: string, fn: (t: TestContext) => Promise<void> | void): void;
  export const it: typeof test;
  export function describe(name: string, body: () => void): void;
}
