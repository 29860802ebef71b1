//! Writes a sample passport-like page to the path given (for a look).
#![allow(clippy::expect_used)] // a benchmark tool: a failure is its answer
fn main() {
    let path = std::env::args()
        .nth(1)
        .unwrap_or_else(|| "passport.png".into());
    let page = mezha_testkit::PassportPage::sample(1);
    let png = mezha_testkit::render(&page, 1.2, 0.02, 1).expect("render");
    std::fs::write(&path, png).expect("write");
    println!("{path}: {:?}", page.lines());
}
