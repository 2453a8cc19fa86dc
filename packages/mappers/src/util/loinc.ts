/**
 * LOINC code syntax (LOINC Users' Guide, §12 "Calculating mod 10 check digits"): a LOINC code is a
 * number of up to seven digits, a hyphen and a check digit. The check digit is the mod-10 (Luhn)
 * digit of the number: from the right, every other digit starting with the last is doubled, the
 * digits of the products and of the other digits are summed, and the check digit brings the sum to
 * the next multiple of ten (`2345` → 7, so `2345-7`). A sender that puts a LOINC code in a field
 * without naming the LOINC system still writes a code this check accepts; a local code rarely does.
 */

const LOINC_SYNTAX = /^(\d{1,7})-(\d)$/;

/** The LOINC mod-10 check digit of the part before the hyphen (`"2345"` → 7). */
export function loincCheckDigit(body: string): number {
  let sum = 0;
  for (let i = 0; i < body.length; i++) {
    const digit = Number(body[body.length - 1 - i]);
    // Positions counted from the right: the first, third … are doubled (Users' Guide steps 2–3).
    const value = i % 2 === 0 ? digit * 2 : digit;
    sum += value >= 10 ? value - 9 : value;
  }
  return (10 - (sum % 10)) % 10;
}

/**
 * Whether `code` is a well-formed LOINC code: `n{1,7}-c` with the right check digit.
 *
 * @example
 * isLoincCode("2345-7"); // true  (Glucose [Mass/volume] in Serum or Plasma)
 * isLoincCode("2345-6"); // false (wrong check digit)
 */
export function isLoincCode(code: string): boolean {
  const m = LOINC_SYNTAX.exec(code.trim());
  if (!m?.[1] || m[2] === undefined) return false;
  return loincCheckDigit(m[1]) === Number(m[2]);
}
