/**
 * The reference failure mocks for the home-page gateway: every downstream call failing alone, the
 * soft ones in other ways than "unreachable" and together, each checked against what the rider gets.
 */
import { describe, test } from "flagship:gateway-testing";

const ada = { userId: "u-ada" };
const airport = [{ id: "r-1", title: "Ride to the airport" }];
const weekend = { text: "Free delivery this weekend", code: "FREEWEEKEND" };

test("the home page greets the rider and shows every section", async ({ home, mocks, expect }) => {
  mocks.profile.getProfile.returns({ id: "u-ada", name: "Ada" });

  const response = await home(ada);

  expect(response).toEqual({ status: 200, body: { greeting: "Hi Ada", recommendations: airport, banner: weekend, degraded: [] } });
});

describe("profile, a hard dependency", () => {
  test("a failed profile call refuses the page", async ({ home, mocks, expect }) => {
    mocks.profile.getProfile.fails("internal");

    const response = await home(ada);

    expect(response.status).toBe(503);
  });
});

describe("recommendations, soft: an empty row", () => {
  for (const kind of ["unavailable", "timeout", "internal", "overloaded"] as const) {
    test(`the page loads without recommendations when the call fails (${kind})`, async ({ home, mocks, expect }) => {
      mocks.recommendations.getForUser.fails(kind);

      const response = await home(ada);

      expect(response).toEqual({ status: 200, body: { greeting: "Hi Ada", recommendations: [], banner: weekend, degraded: ["recommendations"] } });
    });
  }
});

describe("promotions, soft: no banner", () => {
  test("the page loads with no banner when promotions fail", async ({ home, mocks, expect }) => {
    mocks.promotions.getBanner.fails("timeout");

    const response = await home(ada);

    expect(response).toEqual({ status: 200, body: { greeting: "Hi Ada", recommendations: airport, banner: null, degraded: ["promotions"] } });
  });

  test("no promotion is not a failure", async ({ home, mocks, expect }) => {
    mocks.promotions.getBanner.returns(null);

    const response = await home(ada);

    expect(response).toEqual({ status: 200, body: { greeting: "Hi Ada", recommendations: airport, banner: null, degraded: [] } });
  });
});

test("the page loads when both soft dependencies fail at once", async ({ home, mocks, expect }) => {
  mocks.recommendations.getForUser.fails("overloaded");
  mocks.promotions.getBanner.fails();

  const response = await home(ada);

  expect(response).toEqual({ status: 200, body: { greeting: "Hi Ada", recommendations: [], banner: null, degraded: ["recommendations", "promotions"] } });
});
