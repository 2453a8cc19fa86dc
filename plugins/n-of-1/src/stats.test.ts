/**
 * Every statistic of the N-of-1 analysis against a reference: closed forms, published tables, textbook
 * examples, and SciPy 1.17.1 (`scipy.special.betainc`, `scipy.stats.t`, `pearsonr`, `spearmanr`,
 * `ttest_ind(equal_var=False)`), whose printed values are copied below with the call that produced them.
 */
import { describe, expect, it } from "vitest";
import {
  correlationPValue,
  leastSquares,
  lnGamma,
  meanConfidenceInterval,
  pearson,
  quantileSorted,
  ranks,
  regularizedIncompleteBeta,
  sampleVariance,
  spearman,
  studentTCdf,
  studentTQuantile,
  studentTTwoSidedP,
  welchTTest,
} from "./stats";

/** |actual − expected| ≤ tolerance × max(1, |expected|): relative for large values, absolute near zero. */
function close(actual: number | null | undefined, expected: number, tolerance = 1e-10) {
  expect(actual).not.toBeNull();
  expect(actual).not.toBeUndefined();
  const error = Math.abs((actual as number) - expected) / Math.max(1, Math.abs(expected));
  expect(error, `${actual} vs ${expected}`).toBeLessThanOrEqual(tolerance);
}

/** Relative error, for p-values far below 1. */
function relClose(actual: number | null | undefined, expected: number, tolerance = 1e-9) {
  expect(actual).not.toBeNull();
  expect(Math.abs((actual as number) - expected) / Math.abs(expected), `${actual} vs ${expected}`).toBeLessThanOrEqual(
    tolerance,
  );
}

describe("ln Γ", () => {
  it("matches factorials, Γ(½) = √π and SciPy's gammaln", () => {
    // Γ(n) = (n − 1)!
    close(lnGamma(1), 0, 1e-14);
    close(lnGamma(2), 0, 1e-14);
    close(lnGamma(5), Math.log(24), 1e-14);
    close(lnGamma(11), Math.log(3628800), 1e-14);
    close(lnGamma(0.5), Math.log(Math.sqrt(Math.PI)), 1e-14);
    // scipy.special.gammaln(0.1), (3.7), (171.5)
    close(lnGamma(0.1), 2.252712651734206, 1e-13);
    close(lnGamma(3.7), 1.428072326665388, 1e-13);
    close(lnGamma(171.5), 709.1431630309283, 1e-13);
  });
});

describe("regularized incomplete beta I_x(a, b)", () => {
  it("matches closed forms", () => {
    // I_x(a, 1) = x^a; I_x(1, b) = 1 − (1 − x)^b; I_½(a, a) = ½; I_x(½, ½) = (2/π) asin √x.
    close(regularizedIncompleteBeta(0.3, 4, 1), 0.3 ** 4, 1e-13);
    close(regularizedIncompleteBeta(0.7, 1, 6), 1 - 0.3 ** 6, 1e-13);
    close(regularizedIncompleteBeta(0.5, 7.5, 7.5), 0.5, 1e-13);
    close(regularizedIncompleteBeta(0.3, 0.5, 0.5), (2 / Math.PI) * Math.asin(Math.sqrt(0.3)), 1e-13);
    expect(regularizedIncompleteBeta(0, 2, 3)).toBe(0);
    expect(regularizedIncompleteBeta(1, 2, 3)).toBe(1);
  });

  it("matches SciPy's betainc on both sides of the continued fraction's switch and in the tails", () => {
    const cases: Array<[a: number, b: number, x: number, expected: number]> = [
      // scipy.special.betainc(a, b, x)
      [2, 3, 0.4, 0.5247999999999999],
      [0.5, 0.5, 0.3, 0.36901011956554536],
      [10, 0.5, 0.9, 0.15164090963470994],
      [5, 0.5, 0.2, 8.630216153154252e-5],
      [100, 0.5, 0.99, 0.1567758654244408],
      [0.5, 200, 0.001, 0.4727558929747644],
      [30, 40, 0.45, 0.6447480085585666],
    ];
    for (const [a, b, x, expected] of cases) relClose(regularizedIncompleteBeta(x, a, b), expected, 1e-11);
  });

  it("satisfies the symmetry I_x(a, b) = 1 − I_{1−x}(b, a)", () => {
    for (const [a, b, x] of [
      [3, 9, 0.2],
      [0.7, 2.5, 0.9],
      [50, 60, 0.5],
    ] as const) {
      close(regularizedIncompleteBeta(x, a, b), 1 - regularizedIncompleteBeta(1 - x, b, a), 1e-13);
    }
  });

  it("refuses arguments outside its domain", () => {
    expect(() => regularizedIncompleteBeta(1.2, 1, 1)).toThrow(RangeError);
    expect(() => regularizedIncompleteBeta(0.5, 0, 1)).toThrow(RangeError);
  });
});

describe("Student's t distribution", () => {
  it("matches closed forms for 1 and 2 degrees of freedom", () => {
    // df = 1 is the Cauchy distribution: F(t) = ½ + atan(t)/π.
    for (const t of [-3, -0.4, 0, 0.8, 12.706]) close(studentTCdf(t, 1), 0.5 + Math.atan(t) / Math.PI, 1e-13);
    // df = 2: F(t) = ½ + t / (2 √(2 + t²)).
    for (const t of [-5, -1, 0.3, 2, 9]) close(studentTCdf(t, 2), 0.5 + t / (2 * Math.sqrt(2 + t * t)), 1e-13);
  });

  it("gives the two-sided p-values SciPy gives (2 · t.sf(t, df))", () => {
    const cases: Array<[t: number, df: number, p: number]> = [
      [2.0, 10, 0.07338803477074037],
      [1.0, 1, 0.5000000000000001],
      [2.5, 3.7, 0.07182202291182678],
      [0.3, 50, 0.7654208802553033],
      [5.0, 100, 2.450173413503802e-6],
      [10.0, 25, 3.2064109208925194e-10],
      [2.228, 10, 0.05001177181711132],
      [1.96, 1e6, 0.04999606758526985],
    ];
    for (const [t, df, p] of cases) {
      relClose(studentTTwoSidedP(t, df), p, 1e-9);
      relClose(studentTTwoSidedP(-t, df), p, 1e-9);
    }
    expect(studentTTwoSidedP(0, 7)).toBe(1);
    expect(studentTTwoSidedP(Number.POSITIVE_INFINITY, 7)).toBe(0);
  });

  it("gives the quantiles of the published table (Fisher & Yates; any statistics textbook's t table)", () => {
    // Two-sided 95 % critical values to three decimals, as printed in t tables.
    const table: Array<[df: number, t975: number]> = [
      [1, 12.706],
      [2, 4.303],
      [5, 2.571],
      [10, 2.228],
      [30, 2.042],
      [120, 1.98],
    ];
    for (const [df, t] of table) expect(studentTQuantile(0.975, df)).toBeCloseTo(t, 3);
    expect(studentTQuantile(0.995, 10)).toBeCloseTo(3.169, 3);
    expect(studentTQuantile(0.95, 10)).toBeCloseTo(1.812, 3);
    // …and SciPy's t.ppf to full precision, a fractional df included.
    close(studentTQuantile(0.975, 1), 12.706204736174694, 1e-11);
    close(studentTQuantile(0.975, 10), 2.228138851986274, 1e-11);
    close(studentTQuantile(0.975, 24.9), 2.0599580324598343, 1e-11);
    close(studentTQuantile(0.025, 10), -2.228138851986274, 1e-11);
    expect(studentTQuantile(0.5, 3)).toBe(0);
  });
});

describe("correlation", () => {
  // Anscombe's quartet, set I (Anscombe 1973, "Graphs in statistical analysis"): r = 0.816.
  const x1 = [10, 8, 13, 9, 11, 14, 6, 4, 12, 7, 5];
  const y1 = [8.04, 6.95, 7.58, 8.81, 8.33, 9.96, 7.24, 4.26, 10.84, 4.82, 5.68];

  it("computes Pearson's r of a hand-worked example and of Anscombe's set I", () => {
    // x̄ = 3, ȳ = 4: Σdxdy = 6, Σdx² = 10, Σdy² = 6, so r = 6 / √60.
    close(pearson([1, 2, 3, 4, 5], [2, 4, 5, 4, 5]), 6 / Math.sqrt(60), 1e-14);
    expect(pearson(x1, y1)).toBeCloseTo(0.816, 3);
    close(pearson(x1, y1), 0.8164205163448395, 1e-13); // scipy.stats.pearsonr
    close(correlationPValue(0.8164205163448395, 11), 0.0021696288730788152, 1e-9);
    close(pearson([1, 2, 3], [3, 2, 1]), -1, 1e-15);
    expect(pearson([1, 1, 1], [1, 2, 3])).toBeNull();
    expect(pearson([1], [1])).toBeNull();
  });

  it("ranks ties by their mean rank and computes Spearman's ρ as SciPy's spearmanr", () => {
    expect(Array.from(ranks([10, 20, 20, 5, 30]))).toEqual([2, 3.5, 3.5, 1, 5]);
    close(spearman(x1, y1), 0.8181818181818182, 1e-13);
    close(correlationPValue(0.8181818181818182, 11), 0.0020831448404786917, 1e-9);
    const a = [1, 2, 2, 3, 4, 4, 4, 5, 6, 7];
    const b = [2, 1, 3, 3, 5, 4, 6, 6, 8, 7];
    close(spearman(a, b), 0.93812095999547, 1e-13);
    close(correlationPValue(0.93812095999547, 10), 5.950220707696844e-5, 1e-8);
    close(pearson(a, b), 0.91305728641498, 1e-13);
  });

  it("gives p = 0 for a perfect correlation and none below three pairs", () => {
    expect(correlationPValue(1, 10)).toBe(0);
    expect(correlationPValue(0.5, 2)).toBeNull();
    expect(correlationPValue(0, 30)).toBe(1);
  });

  it("fits the least-squares line of Anscombe's set I (y = 3.00 + 0.500 x)", () => {
    const fit = leastSquares(x1, y1);
    expect(fit?.slope).toBeCloseTo(0.5001, 4);
    expect(fit?.intercept).toBeCloseTo(3.0001, 4);
    expect(leastSquares([2, 2, 2], [1, 2, 3])).toBeNull();
  });
});

describe("Welch's t-test", () => {
  it("reproduces the worked examples of Welch's test (Wikipedia, 'Welch's t-test', examples 1 and 2)", () => {
    const a1 = [27.5, 21.0, 19.0, 23.6, 17.0, 17.9, 16.9, 20.1, 21.9, 22.6, 23.1, 19.6, 19.0, 21.7, 21.4];
    const a2 = [27.1, 22.0, 20.8, 23.4, 23.4, 23.5, 25.8, 22.0, 24.8, 20.2, 21.9, 22.1, 22.9, 20.5, 24.4];
    const one = welchTTest(a1, a2);
    // Published: t = −2.46, ν ≈ 25.0, p = 0.021; SciPy ttest_ind(equal_var=False) to full precision.
    close(one?.t, -2.455356398286006, 1e-12);
    close(one?.df, 24.988529290231416, 1e-12);
    close(one?.p, 0.021378001462866992, 1e-9);
    const b1 = [17.2, 20.9, 22.6, 18.1, 21.7, 21.4, 23.5, 24.2, 14.7, 21.8];
    const b2 = [
      21.5, 22.8, 21.0, 23.0, 21.6, 23.6, 22.5, 20.7, 23.4, 21.8, 20.7, 21.7, 21.5, 22.5, 23.6, 21.5, 22.5, 23.5, 21.5,
      21.8,
    ];
    const two = welchTTest(b1, b2);
    close(two?.t, -1.5654335235985037, 1e-12);
    close(two?.df, 9.904741248650831, 1e-12);
    close(two?.p, 0.14884169660532817, 1e-9);
  });

  it("is undefined for a group of one or when nothing varies", () => {
    expect(welchTTest([1], [1, 2, 3])).toBeNull();
    expect(welchTTest([2, 2], [2, 2, 2])).toBeNull();
  });
});

describe("descriptive statistics", () => {
  it("gives the t confidence interval of a mean (SciPy t.interval(0.95, n−1, mean, sem))", () => {
    const ci = meanConfidenceInterval([4.1, 5.0, 3.8, 4.6, 5.2, 4.9]);
    close(ci?.value, 4.6000000000000005, 1e-13);
    close(ci?.ci_low, 4.025200427379101, 1e-11);
    close(ci?.ci_high, 5.1747995726209, 1e-11);
    expect(ci?.level).toBe(0.95);
    expect(meanConfidenceInterval([3])).toBeNull();
  });

  it("computes the sample variance and type-7 quantiles (NumPy's default)", () => {
    close(sampleVariance([2, 4, 4, 4, 5, 5, 7, 9]), 32 / 7, 1e-14);
    // numpy.quantile([1, 3, 4, 7, 9, 10], [0.25, 0.75]) = [3.25, 8.5]
    close(quantileSorted([1, 3, 4, 7, 9, 10], 0.25), 3.25, 1e-14);
    close(quantileSorted([1, 3, 4, 7, 9, 10], 0.75), 8.5, 1e-14);
  });
});
