//! The printed comparison of the endpoint and the raw SQL, and the goals.

use super::{GOAL_CLIENTS, GOAL_P99, GOAL_RATIO, ms};
use crate::bench::BenchOptions;
use crate::bench::cpu::Spent;
use crate::bench::load::Figures;

/// One side of the comparison.
pub(super) struct Side {
    pub(super) label: String,
    pub(super) figures: Figures,
    pub(super) spent: Spent,
    /// What this process's CPU time was spent on.
    pub(super) own: &'static str,
}

pub(super) fn report(http: &Side, raw: &Side, clients: usize, options: &BenchOptions) {
    let encoding = &options.accept_encoding;
    println!();
    println!(
        "order search, {} orders, {clients} concurrent clients, {} s (Accept-Encoding: {encoding}):",
        options.orders, options.seconds
    );
    println!(
        "  {:<40} {:>9} {:>10} {:>10} {:>10} {:>7}",
        "", "requests", "req/s", "p50", "p99", "errors"
    );
    for side in [http, raw] {
        let f = &side.figures;
        println!(
            "  {:<40} {:>9} {:>10.1} {:>10} {:>10} {:>7}",
            side.label,
            f.requests,
            f.per_sec,
            ms(f.p50),
            ms(f.p99),
            f.errors
        );
        if let Some(error) = &f.first_error {
            println!("  {:<40} first error: {error}", "");
        }
    }
    if let Some(bytes) = http.figures.body_bytes {
        println!(
            "  {:<40} {:>9.0} B",
            "endpoint answer body, mean as sent", bytes
        );
    }
    let ratio = if raw.figures.per_sec > 0.0 {
        http.figures.per_sec / raw.figures.per_sec
    } else {
        0.0
    };
    println!(
        "  {:<40} {:>9.1}%",
        "endpoint / raw SQL throughput",
        ratio * 100.0
    );

    // CPU per request: where the work goes, whatever else runs on the machine.
    let cores = std::thread::available_parallelism()
        .map(usize::from)
        .unwrap_or(1);
    println!();
    println!(
        "  CPU per request (ms; {cores} cores){:<7} {:>12} {:>10} {:>10} {:>8} {:>15} {:>10}",
        "", "this process", "oha", "PostgreSQL", "total", "cores allow", "pg xact/r"
    );
    for side in [http, raw] {
        let n = std::cmp::Ord::max(side.figures.requests, 1) as f64;
        let per = |seconds: f64| seconds * 1000.0 / n;
        let total = side.spent.own + side.spent.children + side.spent.postgres;
        println!(
            "  {:<40} {:>12.3} {:>10.3} {:>10.3} {:>8.3} {:>11.0} r/s {:>10.2}",
            format!(
                "{} ({})",
                side.label.split(' ').next().unwrap_or(""),
                side.own
            ),
            per(side.spent.own),
            per(side.spent.children),
            per(side.spent.postgres),
            per(total),
            if total > 0.0 {
                cores as f64 * n / total
            } else {
                0.0
            },
            side.spent.transactions / n,
        );
    }

    let verdict = |ok: bool| if ok { "met" } else { "NOT met" };
    if clients == GOAL_CLIENTS {
        println!(
            "goal: endpoint p99 < {} at {GOAL_CLIENTS} clients: {} ({})",
            ms(GOAL_P99),
            verdict(http.figures.p99 < GOAL_P99 && http.figures.errors == 0),
            ms(http.figures.p99)
        );
    } else {
        println!(
            "goal: endpoint p99 < {} at {GOAL_CLIENTS} clients: not measured (ran {clients} clients)",
            ms(GOAL_P99)
        );
    }
    println!(
        "goal: endpoint ≥ {:.0}% of the raw SQL's throughput: {} ({:.1}%)",
        GOAL_RATIO * 100.0,
        verdict(ratio >= GOAL_RATIO && http.figures.errors == 0),
        ratio * 100.0
    );
}
