/** The mutants: each is the reference checkout with exactly one business rule broken. */
export const MUTANT_IDS = [
  "flag-on-no-discount",
  "discount-with-flag-off",
  "email-cancels-order",
  "pricing-blocks-ineligible",
  "eligible-full-price",
  "update-cart-ignored",
  "email-after-failed-charge",
  "charge-failure-accepted",
] as const;
export type MutantId = (typeof MUTANT_IDS)[number];
