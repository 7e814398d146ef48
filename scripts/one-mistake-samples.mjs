// Writes exercises/<id>/samples/one-mistake-<rule>.yaml: for every rubric rule of the structured
// exercises, the reference answer with exactly one mistake a student makes, which must lose exactly
// that rule. The files are committed and reviewed like hand-written samples; rerun this script after
// changing a reference answer, then `npx flagship exercises check --update` and read the diff.
//
//   node scripts/one-mistake-samples.mjs
import { readFileSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { Document, isScalar, isSeq, parse, visit } from "yaml";

const clone = (v) => structuredClone(v);
const without = (list, value) => list.filter((x) => x !== value);
const stepIndex = (a, action) => a.steps.findIndex((s) => s.action === action);

/** Per exercise: rule id → [what the student did wrong, how to change the reference]. */
const MISTAKES = {
  "api-longevity": {
    "keep-old-requests": [
      "Stops accepting a free-text pickup.",
      (a) => {
        a.keep = without(a.keep, "accept-pickup-text");
      },
    ],
    "keep-old-responses": [
      "Stops sending eta.",
      (a) => {
        a.keep = without(a.keep, "send-eta");
      },
    ],
    "keep-current-shapes": [
      "Forgets the current app's etaRange.",
      (a) => {
        a.keep = without(a.keep, "send-eta-range");
      },
    ],
    "drop-dead-shapes": [
      "Keeps the XML format nobody has sent for a year.",
      (a) => {
        a.keep.push("accept-xml");
      },
    ],
    "how-long-usage": [
      "Keeps free text only until a date in the release notes.",
      (a) => {
        a.howLong = "announced-date";
      },
    ],
    "translate-at-edge": [
      "Checks the app version throughout the business logic.",
      (a) => {
        a.serveAll = "version-checks";
      },
    ],
    "force-needs-check": [
      "Thinks refusing 4.2 makes it show an update prompt.",
      (a) => {
        a.force42 = "prompted";
      },
    ],
    "force-last-resort": [
      "Forces 4.6 off right away to delete the translation code.",
      (a) => {
        a.forcePolicy = "right-away";
      },
    ],
    "partner-for-life": [
      "Removes the kiosks' endpoint 90 days after a notice.",
      (a) => {
        a.partner = "remove-after-notice";
      },
    ],
  },
  "choosing-resilience-testing": {
    "consensus-formal": [
      "Sends the consensus library team to chaos experiments.",
      (a) => {
        a.consensus = "chaos";
      },
    ],
    "checkout-fault-injection": [
      "Asks the checkout team for a formal specification.",
      (a) => {
        a.checkout = "formal-methods";
      },
    ],
    "sre-chaos": [
      "Gives the SRE team fault injection in functional tests.",
      (a) => {
        a.sre = "fault-injection";
      },
    ],
    "formal-misses": [
      "Says formal methods would miss the rare interleaving.",
      (a) => {
        a.missedByFormal.push("interleaving");
      },
    ],
    "injection-misses": [
      "Says fault injection would miss the pricing timeout.",
      (a) => {
        a.missedByInjection = ["eligible-timeout"];
      },
    ],
    "chaos-misses": [
      "Says chaos experiments would miss the slow load-balancer drain.",
      (a) => {
        a.missedByChaos = ["slow-drain"];
      },
    ],
    "approaches-combine": [
      "Thinks more failure mocks would show the real load balancer's behaviour.",
      (a) => {
        a.checkoutAlso = "more-mocks";
      },
    ],
  },
  "blast-radius": {
    "retest-direct-caller": [
      "Leaves out the service that calls promotions-service directly.",
      (a) => {
        a.retest = without(a.retest, "pricing");
      },
    ],
    "retest-transitive": [
      "Stops the retest at order-service and leaves out the gateway.",
      (a) => {
        a.retest = without(a.retest, "gateway");
      },
    ],
    "retest-only-the-chain": [
      "Also asks eta-service to retest.",
      (a) => {
        a.retest.push("eta");
      },
    ],
    "pin-changed-flag": [
      "Leaves the coupon flag to whatever staging serves.",
      (a) => {
        a.pinnedFlags = without(a.pinnedFlags, "stacked-coupons");
      },
    ],
    "pin-transitive-flag": [
      "Ignores the dark surge flag because it is at 0% today.",
      (a) => {
        a.pinnedFlags = without(a.pinnedFlags, "surge-v2");
      },
    ],
    "pin-own-flag": [
      "Forgets order-service's own flag.",
      (a) => {
        a.pinnedFlags = without(a.pinnedFlags, "split-payments");
      },
    ],
    "pin-only-the-path": [
      "Also pins the gateway's checkout-UI flag.",
      (a) => {
        a.pinnedFlags.push("new-checkout-ui");
      },
    ],
    "flaky-cause": [
      "Blames shared state between the gateway's tests.",
      (a) => {
        a.flakyCause = "test-order";
      },
    ],
    "flaky-fix": [
      "Quarantines the test until the ramp ends.",
      (a) => {
        a.flakyFix = "quarantine";
      },
    ],
  },
  "metrics-priority-rides": {
    "rollout-metric": [
      "Gives no rollout metric: the reach metric is left out.",
      (a) => {
        a.metrics = a.metrics.filter((m) => m.purpose !== "rollout");
      },
    ],
    "success-metric": [
      "Measures success by riders who selected priority, not by riders who got a priority ride.",
      (a) => {
        a.metrics[1].numerator = "selected";
      },
    ],
    "error-not-served": [
      "Forgets the error metric for riders who chose priority and did not get it.",
      (a) => {
        a.metrics.splice(2, 1);
      },
    ],
    "error-not-shown": [
      "Forgets the error metric for eligible riders never shown the option.",
      (a) => {
        a.metrics.splice(3, 1);
      },
    ],
    denominators: [
      "Gives the success metric as a raw count of priority rides.",
      (a) => {
        a.metrics[1].denominator = "none";
      },
    ],
    purposes: [
      "Files the success metric under error.",
      (a) => {
        a.metrics[1].purpose = "error";
      },
    ],
  },
  "rollout-plan": {
    "tests-flag-states": [
      "Never tests existing features with the flag on.",
      (a) => {
        a.tests = without(a.tests, "flag-on-existing");
      },
    ],
    "tests-legacy-formats": [
      "Leaves out the old-format tests.",
      (a) => {
        a.tests = without(a.tests, "legacy-formats");
      },
    ],
    "tests-cleanup": [
      "Keeps the dead tests after the cleanup.",
      (a) => {
        a.tests = without(a.tests, "cleanup");
      },
    ],
    "tests-not-manual": [
      "Adds a developer trying the picker on their phone as a required test.",
      (a) => {
        a.tests.push("manual-only");
      },
    ],
    "dark-first-deploy": [
      "Releases the API before the dark deploy.",
      (a) => {
        const i = stepIndex(a, "dark-deploy");
        const j = stepIndex(a, "api-release");
        [a.steps[i], a.steps[j]] = [a.steps[j], a.steps[i]];
      },
    ],
    "dogfood-before-ramp": [
      "Skips the employee-only step and goes straight to the public ramp.",
      (a) => {
        a.steps.splice(stepIndex(a, "dogfood"), 1);
      },
    ],
    "ramp-incremental": [
      "Jumps from 1% to 100% in one step.",
      (a) => {
        a.steps = a.steps.filter((s) => !(s.action === "ramp" && (s.percent === 10 || s.percent === 50)));
      },
    ],
    "ramp-completes": [
      "Stops the ramp at 50%.",
      (a) => {
        a.steps = a.steps.filter((s) => !(s.action === "ramp" && s.percent === 100));
      },
    ],
    "every-step-rollback": [
      'Answers "turn the flag off" as the way back from dropping the column.',
      (a) => {
        a.steps[stepIndex(a, "schema-contract")].rollback = "flag-off";
      },
    ],
    "every-step-positive-metric": [
      "Watches only error rates while expanding the schema.",
      (a) => {
        a.steps[0].metrics = ["booking-errors"];
      },
    ],
    "every-step-negative-metric": [
      "Watches nothing that warns of harm during the cleanup.",
      (a) => {
        a.steps[stepIndex(a, "cleanup")].metrics = ["bookings-completed"];
      },
    ],
    "api-before-client": [
      "Ships the app before the API.",
      (a) => {
        const i = stepIndex(a, "api-release");
        const j = stepIndex(a, "client-release");
        [a.steps[i], a.steps[j]] = [a.steps[j], a.steps[i]];
      },
    ],
    "expand-before-contract": [
      "Forgets to drop the old column at all.",
      (a) => {
        a.steps.splice(stepIndex(a, "schema-contract"), 1);
      },
    ],
    "three-rollout-events": [
      'Folds "stop serving v1" into the cleanup step.',
      (a) => {
        a.steps.splice(stepIndex(a, "disable-v1"), 1);
      },
    ],
    "contract-after-v1-disabled": [
      "Drops the old column before v1 stops being served.",
      (a) => {
        const [contract] = a.steps.splice(stepIndex(a, "schema-contract"), 1);
        a.steps.splice(stepIndex(a, "disable-v1"), 0, contract);
      },
    ],
  },
  "compatible-changes": {
    "additive-changes-compatible": [
      "Thinks a new table could break old code.",
      (a) => {
        a.changes.addTable = "incompatible";
      },
    ],
    "required-column-incompatible": [
      "Thinks a NOT NULL column without default is safe.",
      (a) => {
        a.changes.addRequiredColumn = "compatible";
      },
    ],
    "rename-incompatible": [
      "Thinks a rename depends on the readers.",
      (a) => {
        a.changes.renameField = "depends";
      },
    ],
    "type-change-incompatible": [
      "Thinks a number-to-string change is safe.",
      (a) => {
        a.changes.changeFieldType = "compatible";
      },
    ],
    "meaning-change-incompatible": [
      "Thinks cents-for-dollars is safe because the field still parses.",
      (a) => {
        a.changes.changeFieldMeaning = "compatible";
      },
    ],
    "removal-incompatible": [
      "Thinks removing a field depends on the readers, though they are known to read it.",
      (a) => {
        a.changes.removeField = "depends";
      },
    ],
    "optional-to-required-incompatible": [
      "Thinks making a request field required is safe.",
      (a) => {
        a.changes.optionalToRequired = "compatible";
      },
    ],
    "enum-value-depends": [
      "Thinks a new enum value is always safe.",
      (a) => {
        a.changes.addEnumValue = "compatible";
      },
    ],
    "all-components-ordered": [
      "Leaves the courier app out of the release order.",
      (a) => {
        a.rollout = a.rollout.filter((r) => r.component !== "client");
      },
    ],
    "database-before-api": [
      "Ships the API before the column exists.",
      (a) => {
        a.rollout = [{ component: "api" }, { component: "database" }, { component: "client" }];
      },
    ],
    "api-before-client": [
      "Ships the app before the API.",
      (a) => {
        a.rollout = [{ component: "database" }, { component: "client" }, { component: "api" }];
      },
    ],
  },
  "mock-drift": {
    "compatible-change": [
      "Reads an added field as an incompatible change.",
      (a) => {
        a.scenarios.passMismatch = "incompatible";
      },
    ],
    "incompatible-change": [
      "Blames their own code for a downstream's change of units.",
      (a) => {
        a.scenarios.failMismatch = "own-code";
      },
    ],
    "own-code": [
      "Blames a downstream although every mock still matches.",
      (a) => {
        a.scenarios.failMatch = "incompatible";
      },
    ],
    "missing-coverage": [
      "Reads drift on a field the service reads as a harmless compatible change.",
      (a) => {
        a.scenarios.newFieldRead = "compatible";
      },
    ],
    "pass-through": [
      "Reads drift on a forwarded field as missing coverage.",
      (a) => {
        a.scenarios.newFieldForwarded = "missing-coverage";
      },
    ],
    "no-drift": [
      "Sees a compatible change on an all-green morning.",
      (a) => {
        a.scenarios.allMatch = "compatible";
      },
    ],
    "worst-is-pass-through": [
      "Thinks an incompatible change is the hardest to live with.",
      (a) => {
        a.worstCase = "incompatible";
      },
    ],
    "detect-without-mocks": [
      "Would find drift by re-recording mocks when tests fail.",
      (a) => {
        a.detectDrift = "rerecord";
      },
    ],
    "flaky-partial-ramp": [
      "Blames a slow test machine for the flaky test.",
      (a) => {
        a.flakyCause = "slow-machine";
      },
    ],
  },
  "purchase-dependencies": {
    "email-soft-ignored": [
      "Retries the email instead of ignoring its failure.",
      (a) => {
        a.sendEmail.onFailure = "retry";
      },
    ],
    "pricing-is-soft": [
      "Calls pricing a hard dependency, though its fallbacks are right.",
      (a) => {
        a.getPricing.dependency = "hard";
      },
    ],
    "pricing-default-zero": [
      "Asks customers with no discount to try again.",
      (a) => {
        a.getPricing.onFailureNotEligible = "retry";
      },
    ],
    "pricing-eligible-retry": [
      "Charges discount-eligible customers full price when pricing fails.",
      (a) => {
        a.getPricing.onFailureEligible = "default";
      },
    ],
    "update-cart-retry": [
      "Ignores a failed cart update and charges full price.",
      (a) => {
        a.updateCart.onFailure = "ignore";
      },
    ],
    "core-calls-hard": [
      "Lets a checkout go on with a default user when the user service fails.",
      (a) => {
        a.getUser = { dependency: "soft", onFailure: "default" };
      },
    ],
    "metric-conversion": [
      "Leaves out checkout conversion.",
      (a) => {
        a.businessMetrics = without(a.businessMetrics, "checkout-conversion");
      },
    ],
    "metric-discount-customers": [
      "Watches nothing about the discount customers.",
      (a) => {
        a.businessMetrics = without(without(a.businessMetrics, "retry-completion"), "eligible-full-price");
      },
    ],
    "no-vanity-metrics": [
      "Adds CPU use as a business metric.",
      (a) => {
        a.businessMetrics.push("cpu");
      },
    ],
  },
};

/** YAML the way a person writes it: small maps and lists of plain values on one line. */
function compact(value) {
  const doc = new Document(value);
  const short = (node) => isScalar(node) && String(node.value).length <= 40;
  const flat = (node) => short(node) || (isSeq(node) && node.items.every(short));
  visit(doc, {
    Seq(_, node) {
      if (node.items.every(isScalar)) node.flow = true;
    },
    Map(_, node, path) {
      const inList = isSeq(path[path.length - 1]);
      if (inList && node.items.every((pair) => flat(pair.value))) node.flow = true;
    },
  });
  return doc.toString({ lineWidth: 160, flowCollectionPadding: false });
}

for (const [exercise, mistakes] of Object.entries(MISTAKES)) {
  const dir = join("exercises", exercise);
  const reference = parse(readFileSync(join(dir, "reference.yaml"), "utf8"));
  for (const [rule, [description, mutate]] of Object.entries(mistakes)) {
    const answer = clone(reference);
    mutate(answer);
    const sample = { category: "one-mistake", description, expect: { failing: [rule] }, answer };
    const header =
      "# Generated by scripts/one-mistake-samples.mjs from reference.yaml: exactly one mistake, losing exactly one rule.\n";
    writeFileSync(join(dir, "samples", `one-mistake-${rule}.yaml`), header + compact(sample));
  }
}
