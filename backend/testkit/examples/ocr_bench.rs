//! `make bench`: the passport recognition rate (docs/benchmarks.md). Renders
//! passport-like pages (slightly rotated, noisy), reads each with Tesseract
//! the way the server does, and prints the share of each field read exactly
//! and the time per page. `OCR_PAGES` pages (default 30), seeds 1…N.
#![allow(clippy::expect_used)] // a benchmark tool: a failure is its answer

use mezha_domain::clients::recognition;
use mezha_testkit::{PassportPage, render};
use std::time::Instant;

#[tokio::main(flavor = "current_thread")]
async fn main() {
    let pages: u64 = std::env::var("OCR_PAGES")
        .ok()
        .and_then(|v| v.parse().ok())
        .unwrap_or(30);
    let dir = std::env::temp_dir().join(format!("mezha-ocr-bench-{}", std::process::id()));
    std::fs::create_dir_all(&dir).expect("a temporary directory");
    let fields = [
        "full_name",
        "birth_date",
        "birth_place",
        "passport_series",
        "passport_number",
        "passport_issued_on",
        "passport_issuer_code",
        "passport_issuer",
    ];
    let mut right = [0u64; 8];
    let mut elapsed = 0.0;
    for seed in 1..=pages {
        let page = PassportPage::sample(seed);
        let degrees = ((seed % 9) as f32 - 4.0) * 0.5; // −2° … +2°
        let png = render(&page, degrees, 0.02, seed).expect("the DejaVu font (make ocr)");
        let path = dir.join(format!("{seed}.png"));
        std::fs::write(&path, png).expect("write");
        let start = Instant::now();
        let text = mezha_app::clients::ocr::read_text("tesseract", &path)
            .await
            .expect("tesseract with Russian data (make ocr)");
        elapsed += start.elapsed().as_secs_f64();
        let p = recognition::read(&text);
        let date = |d: chrono::NaiveDate| Some(d);
        let title = |s: &str| {
            let mut c = s.chars();
            c.next()
                .map(|f| {
                    f.to_uppercase()
                        .chain(c.flat_map(char::to_lowercase))
                        .collect::<String>()
                })
                .unwrap_or_default()
        };
        let name = format!(
            "{} {} {}",
            title(&page.surname),
            title(&page.name),
            title(&page.patronymic)
        );
        let hits = [
            p.full_name.as_deref() == Some(name.as_str()),
            p.birth_date == date(page.birth_date),
            p.birth_place.as_deref() == Some(page.birth_place.as_str()),
            p.passport_series.as_deref() == Some(page.series.as_str()),
            p.passport_number.as_deref() == Some(page.number.as_str()),
            p.passport_issued_on == date(page.issued_on),
            p.passport_issuer_code.as_deref() == Some(page.issuer_code.as_str()),
            p.passport_issuer.as_deref() == Some(page.issuer.as_str()),
        ];
        for (i, hit) in hits.iter().enumerate() {
            right[i] += u64::from(*hit);
        }
    }
    let _ = std::fs::remove_dir_all(&dir);
    let total: u64 = right.iter().sum();
    for (field, n) in fields.iter().zip(right) {
        println!(
            "ocr      {field:<22} {:>5.1} % read exactly ({n}/{pages})",
            100.0 * n as f64 / pages as f64
        );
    }
    println!(
        "ocr      all fields             {:>5.1} % of {} fields; {:.2} s a page (Tesseract, one at a time)",
        100.0 * total as f64 / (pages * 8) as f64,
        pages * 8,
        elapsed / pages as f64
    );
}
