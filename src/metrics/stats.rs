//! Small-sample statistics for `cxm drivers` (SPEC §11): the Wilson score interval of
//! a proportion, and Pearson's χ² test of independence with its p-value from the
//! regularized upper incomplete gamma function; and the tests of `report --compare`'s
//! ticket count and median.

/// The normal quantile of a two-sided 95% interval.
pub const Z95: f64 = 1.959_963_984_540_054;

/// The Wilson score interval (95%) of `k` successes in `n` trials, as shares in
/// [0, 1]; None without trials.
pub fn wilson(k: f64, n: f64) -> Option<(f64, f64)> {
    if n <= 0.0 {
        return None;
    }
    let p = k / n;
    let z2 = Z95 * Z95;
    let denominator = 1.0 + z2 / n;
    let center = (p + z2 / (2.0 * n)) / denominator;
    let half = Z95 / denominator * (p * (1.0 - p) / n + z2 / (4.0 * n * n)).sqrt();
    Some(((center - half).max(0.0), (center + half).min(1.0)))
}

/// The NPS margin of error (SPEC §5, `nps_moe95`) of promoter and detractor shares
/// `p` and `d` over `n` responses: 196 × √(((p + d) − (p − d)²) ÷ n).
pub fn nps_moe95(p: f64, d: f64, n: f64) -> f64 {
    196.0 * (((p + d) - (p - d).powi(2)).max(0.0) / n).sqrt()
}

/// Pearson's χ² statistic and degrees of freedom of a contingency table (rows ×
/// columns of counts); rows or columns summing to zero are left out. None when
/// fewer than two rows or columns remain.
pub fn chi_square(table: &[Vec<f64>]) -> Option<(f64, f64)> {
    let cols = table.first()?.len();
    let rows: Vec<&Vec<f64>> = table
        .iter()
        .filter(|r| r.iter().sum::<f64>() > 0.0)
        .collect();
    let col_sums: Vec<f64> = (0..cols).map(|j| rows.iter().map(|r| r[j]).sum()).collect();
    let kept: Vec<usize> = (0..cols).filter(|&j| col_sums[j] > 0.0).collect();
    if rows.len() < 2 || kept.len() < 2 {
        return None;
    }
    let total: f64 = col_sums.iter().sum();
    let mut x2 = 0.0;
    for r in &rows {
        let row_sum: f64 = r.iter().sum();
        for &j in &kept {
            let expected = row_sum * col_sums[j] / total;
            x2 += (r[j] - expected).powi(2) / expected;
        }
    }
    Some((x2, ((rows.len() - 1) * (kept.len() - 1)) as f64))
}

/// P(X ≥ x) for X ~ χ²(df).
pub fn chi_square_p(x: f64, df: f64) -> f64 {
    if x <= 0.0 {
        return 1.0;
    }
    upper_gamma(df / 2.0, x / 2.0)
}

/// The regularized upper incomplete gamma function Q(a, x): the series for P below
/// a + 1, Lentz's continued fraction above (Numerical Recipes, §6.2).
fn upper_gamma(a: f64, x: f64) -> f64 {
    let log_front = a * x.ln() - x - libm::lgamma(a);
    if x < a + 1.0 {
        let (mut term, mut sum, mut n) = (1.0 / a, 1.0 / a, a);
        for _ in 0..1000 {
            n += 1.0;
            term *= x / n;
            sum += term;
            if term.abs() < sum.abs() * 1e-16 {
                break;
            }
        }
        (1.0 - sum * log_front.exp()).clamp(0.0, 1.0)
    } else {
        let tiny = 1e-300;
        let mut b = x + 1.0 - a;
        let mut c = 1.0 / tiny;
        let mut d = 1.0 / b;
        let mut h = d;
        for i in 1..1000 {
            let an = -(i as f64) * (i as f64 - a);
            b += 2.0;
            d = an * d + b;
            if d.abs() < tiny {
                d = tiny;
            }
            c = b + an / c;
            if c.abs() < tiny {
                c = tiny;
            }
            d = 1.0 / d;
            let step = d * c;
            h *= step;
            if (step - 1.0).abs() < 1e-16 {
                break;
            }
        }
        (log_front.exp() * h).clamp(0.0, 1.0)
    }
}

/// Two-sided p-value of a change in a count, `n1` events over a window of length `t1`
/// against `n2` over `t2`, taken as Poisson: under equal rates `n1` of the `n1 + n2`
/// is binomial with p = t1 ÷ (t1 + t2), and the p-value is the exact binomial test's
/// (scipy's `binomtest`: every count no likelier than `n1`'s). None with no events or
/// a window of no length.
pub fn count_change_p(n1: f64, t1: f64, n2: f64, t2: f64) -> Option<f64> {
    let n = n1 + n2;
    if n <= 0.0 || t1 <= 0.0 || t2 <= 0.0 || n1 < 0.0 || n2 < 0.0 {
        return None;
    }
    let p = t1 / (t1 + t2);
    let log_pmf = |k: f64| {
        libm::lgamma(n + 1.0) - libm::lgamma(k + 1.0) - libm::lgamma(n - k + 1.0)
            + k * p.ln()
            + (n - k) * (1.0 - p).ln()
    };
    if n1 == n * p {
        return Some(1.0);
    }
    // scipy's relative tolerance for a count as likely as the one seen.
    let bound = log_pmf(n1) + (1e-7f64).ln_1p();
    // Past 40 standard deviations from the mean a term is below e^-800: nothing in f64.
    let sd = (n * p * (1.0 - p)).sqrt();
    let lo = (n * p - 40.0 * sd - 1.0).floor().max(0.0) as u64;
    let hi = (n * p + 40.0 * sd + 1.0).ceil().min(n) as u64;
    let total: f64 = (lo..=hi)
        .map(|k| log_pmf(k as f64))
        .filter(|&l| l <= bound)
        .map(f64::exp)
        .sum();
    Some(total.min(1.0))
}

/// Mood's median test of two samples (scipy's `median_test` as it runs by default):
/// each sample's values above the pooled median and at or below it, and Pearson's χ²
/// of that 2 × 2 table with Yates' correction. None when either sample is empty or
/// no value lies above the pooled median (or none at or below it).
pub fn median_test_p(a: &[f64], b: &[f64]) -> Option<f64> {
    if a.is_empty() || b.is_empty() {
        return None;
    }
    let mut pooled: Vec<f64> = a.iter().chain(b).copied().collect();
    pooled.sort_unstable_by(f64::total_cmp);
    let mid = pooled.len() / 2;
    let median = match pooled.len() % 2 {
        1 => pooled[mid],
        _ => (pooled[mid - 1] + pooled[mid]) / 2.0,
    };
    let above = |s: &[f64]| s.iter().filter(|&&x| x > median).count() as f64;
    let (a_above, b_above) = (above(a), above(b));
    let table = [
        [a_above, b_above],
        [a.len() as f64 - a_above, b.len() as f64 - b_above],
    ];
    let rows = [table[0][0] + table[0][1], table[1][0] + table[1][1]];
    if rows.contains(&0.0) {
        return None;
    }
    let cols = [a.len() as f64, b.len() as f64];
    let total = cols[0] + cols[1];
    let mut x2 = 0.0;
    for (i, row) in table.iter().enumerate() {
        for (j, &observed) in row.iter().enumerate() {
            let expected = rows[i] * cols[j] / total;
            // Yates: each count moved half a unit towards its expectation, no further.
            let diff = expected - observed;
            let corrected = observed + diff.signum() * diff.abs().min(0.5);
            x2 += (corrected - expected).powi(2) / expected;
        }
    }
    Some(chi_square_p(x2, 1.0))
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Against scipy 1.x: `binomtest(3, 20, 0.5)` 0.0025768, `binomtest(7, 10, 0.3)`
    /// 0.0105921, `binomtest(0, 5, 0.5)` 0.0625 (by hand: 2 × 0.5⁵), and a count at
    /// its expectation 1.
    #[test]
    fn count_change_as_scipy_binomtest() {
        let close = |x: Option<f64>, want: f64| {
            let x = x.unwrap_or(f64::NAN);
            assert!((x - want).abs() < 1e-6 * want.max(1e-3), "{x} vs {want}");
        };
        close(count_change_p(3.0, 1.0, 17.0, 1.0), 0.002_576_828);
        close(count_change_p(7.0, 3.0, 3.0, 7.0), 0.010_592_078);
        close(count_change_p(0.0, 2.0, 5.0, 2.0), 0.0625);
        close(count_change_p(5.0, 1.0, 5.0, 1.0), 1.0);
        assert_eq!(count_change_p(0.0, 1.0, 0.0, 1.0), None);
        // A million events against 990,000 over equal windows: z = 10,000 ÷ √1,990,000
        // = 7.089, two-sided about 1.35e-12; the exact test agrees to within 2 %.
        let p = count_change_p(1_000_000.0, 1.0, 990_000.0, 1.0).unwrap_or(f64::NAN);
        assert!(p > 1.0e-12 && p < 1.7e-12, "{p}");
    }

    /// By hand: 1…6 against 4…10, pooled median 5; above it 1 and 5, at or below 5
    /// and 2; expected 2.769, 3.231, 3.231, 3.769, each off by 1.769 less Yates' 0.5:
    /// χ² = 1.269² × (1/2.769 + 2/3.231 + 1/3.769) = 2.00638, p = 0.156639 (scipy's
    /// `median_test` gives the same).
    #[test]
    fn median_test_worked_example() {
        let a: Vec<f64> = (1..=6).map(f64::from).collect();
        let b: Vec<f64> = (4..=10).map(f64::from).collect();
        let p = median_test_p(&a, &b).unwrap_or(f64::NAN);
        assert!((p - 0.156_638_9).abs() < 1e-6, "{p}");
        let (a, b): (Vec<f64>, Vec<f64>) = (
            (1..=8).map(f64::from).collect(),
            (5..=14).map(f64::from).collect(),
        );
        let p = median_test_p(&a, &b).unwrap_or(f64::NAN);
        assert!((p - 0.049_736_7).abs() < 1e-6, "{p}");
        // All at the median: no test.
        assert_eq!(median_test_p(&[2.0, 2.0], &[2.0]), None);
        assert_eq!(median_test_p(&[], &[1.0]), None);
    }

    #[test]
    fn wilson_worked_example() {
        // 8 of 20: p = 0.4, z² = 3.8415; centre (0.4 + 0.09604) / 1.19207 = 0.41611;
        // half 1.95996 / 1.19207 × √(0.012 + 0.0024009) = 0.19731 → [0.218807, 0.613418]
        // (as scipy/statsmodels' proportion_confint(8, 20, method="wilson")).
        let (lo, hi) = wilson(8.0, 20.0).unwrap_or_default();
        assert!((lo - 0.218_807).abs() < 1e-6, "{lo}");
        assert!((hi - 0.613_418).abs() < 1e-6, "{hi}");
        assert_eq!(wilson(0.0, 0.0), None);
        let (lo, hi) = wilson(0.0, 10.0).unwrap_or_default();
        assert_eq!(lo, 0.0);
        assert!((hi - 0.277_533).abs() < 1e-6, "{hi}");
    }

    #[test]
    fn chi_square_worked_example() {
        // 2 × 2: churned / stayed for slow and fast replies: [[30, 70], [10, 90]].
        // Expected: row sums 100, 100; column sums 40, 160; each expected 20 / 80.
        // χ² = 2 × (10²/20 + 10²/80) = 12.5 on 1 degree of freedom; p = erfc(√6.25)
        // = erfc(2.5) = 0.000406952.
        let (x2, df) = chi_square(&[vec![30.0, 70.0], vec![10.0, 90.0]]).unwrap_or_default();
        assert!((x2 - 12.5).abs() < 1e-12);
        assert_eq!(df, 1.0);
        assert!((chi_square_p(x2, df) - 0.000_406_952).abs() < 1e-9);
        // χ²(4) at 9.4877 is the 95th percentile; χ²(2) at x: p = e^(−x/2).
        assert!((chi_square_p(9.487_729, 4.0) - 0.05).abs() < 1e-6);
        assert!((chi_square_p(3.0, 2.0) - (-1.5f64).exp()).abs() < 1e-12);
        // An empty row is left out.
        let with_empty = [vec![30.0, 70.0], vec![0.0, 0.0], vec![10.0, 90.0]];
        assert_eq!(chi_square(&with_empty), Some((x2, 1.0)));
    }
}
