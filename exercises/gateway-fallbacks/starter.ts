/**
 * Functional tests for the home-page API gateway: each test sends one request in and checks the
 * response that comes out, with the three downstream services mocked. One happy-path test is written;
 * your task is to add the failure mocks that pin down the gateway's fallbacks (see the exercise prompt).
 *
 * What you may import: only the module "flagship:gateway-testing", which provides
 *   test(name, async ({ home, mocks, expect }) => { ... })    (also `it`, and `describe(name, () => { ... })`)
 * Inside a test:
 *   await home({ userId })
 *       runs the gateway once and resolves with its response:
 *       { status: 200, body: { greeting, recommendations, banner, degraded } } | { status: 503, body: { error } }
 *   mocks.<service>.<method>.returns(value)     // what that downstream call answers
 *   mocks.<service>.<method>.fails(kind?)       // the call fails: "unavailable" (default), "timeout", "internal", "overloaded"
 *   mocks.<service>.<method>.calls              // the arguments of each call made by the last request
 *   expect(value).toBe / toEqual / toMatchObject / toContain / toHaveLength / toBeGreaterThan /
 *                 toBeLessThan / toBeUndefined / toBeDefined / toBeNull / toBeTruthy / toBeFalsy, and .not
 * The mocks, with what they answer when you do not set them (mocked values must follow the contract):
 *   mocks.profile.getProfile(userId)                -> { id: userId, name: "Ada" }
 *   mocks.recommendations.getForUser(userId)        -> { items: [{ id: "r-1", title: "Ride to the airport" }] }
 *   mocks.promotions.getBanner(userId)              -> { text: "Free delivery this weekend", code: "FREEWEEKEND" }  (or null)
 */
import { test } from "flagship:gateway-testing";

test("the home page greets the rider and shows every section", async ({ home, expect }) => {
  const response = await home({ userId: "u-ada" });

  expect(response.status).toBe(200);
  expect(response).toMatchObject({ body: { greeting: "Hi Ada" } });
});
