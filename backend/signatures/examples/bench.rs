//! Validations per second of `mezha-signatures` for ECDSA P-256, RSA-2048
//! and GOST R 34.10-2012 256 (and 512), next to `openssl cms -verify` doing
//! the same work (same document, signature and trust anchor) — see
//! docs/benchmarks.md. "mezha/s" validates the same signature again and
//! again, so its certificate links are verified once (a signer seen before);
//! "1st/s" forgets them before every validation (a chain seen for the first
//! time: every signature verified, as `openssl cms -verify` does). Run: `cargo run --release -p mezha-signatures --example bench`
//! (part of `make bench`). Options: `--seconds N` per measurement (default
//! 2), `--openssl-runs N` invocations per algorithm (default 100). A second
//! table gives the "1st" comparison in CPU time (user + system, this
//! process's and OpenSSL's, from /proc on Linux), which other work on the
//! machine disturbs far less than wall-clock time.

use std::error::Error;
use std::path::{Path, PathBuf};
use std::process::{Command, Stdio};
use std::time::{Duration, Instant};

use mezha_signatures::{
    Indication, TrustStore, ValidationOptions, forget_verified_signatures, validate,
};

const GOST_ENGINE: &str = "/usr/lib/x86_64-linux-gnu/engines-3/gost.so";

struct Case {
    label: &'static str,
    family: &'static str,
    gost: bool,
}

const CASES: &[Case] = &[
    Case {
        label: "ECDSA P-256 / SHA-256",
        family: "p256",
        gost: false,
    },
    Case {
        label: "RSA-2048 PKCS#1 v1.5 / SHA-256",
        family: "rsa-pkcs1",
        gost: false,
    },
    Case {
        label: "GOST 2012-256 (CryptoPro A) / Streebog-256",
        family: "gost256-A",
        gost: true,
    },
    Case {
        label: "GOST 2012-512 (tc26 C) / Streebog-512",
        family: "gost512-C",
        gost: true,
    },
];

fn arg(name: &str, default: u64) -> u64 {
    let args: Vec<String> = std::env::args().collect();
    args.iter()
        .position(|a| a == name)
        .and_then(|i| args.get(i + 1))
        .and_then(|v| v.parse().ok())
        .unwrap_or(default)
}

/// CPU seconds (user + system) used so far by this process, or by its
/// finished children, from /proc/self/stat (Linux; `None` elsewhere).
/// Clock ticks of 1/100 s (USER_HZ, 100 on every Linux this runs on).
fn cpu_seconds(children: bool) -> Option<f64> {
    let stat = std::fs::read_to_string("/proc/self/stat").ok()?;
    // After "pid (comm) ": state is field 3, utime..cstime fields 14–17.
    let fields: Vec<&str> = stat.rsplit_once(')')?.1.split_whitespace().collect();
    let at = |n: usize| fields.get(n - 3)?.parse::<u64>().ok();
    let ticks = if children {
        at(16)? + at(17)?
    } else {
        at(14)? + at(15)?
    };
    Some(ticks as f64 / 100.0)
}

/// Calls per second of wall-clock time, and of CPU time (`None` without
/// /proc or below a tick).
struct Rate {
    wall: f64,
    cpu: Option<f64>,
}

/// Runs `f` repeatedly for about `budget`.
fn rate(budget: Duration, mut f: impl FnMut() -> Result<(), String>) -> Result<Rate, String> {
    let cpu_start = cpu_seconds(false);
    let start = Instant::now();
    let mut n = 0u64;
    while n < 3 || start.elapsed() < budget {
        f()?;
        n += 1;
    }
    let wall = n as f64 / start.elapsed().as_secs_f64();
    let cpu = cpu_seconds(false)
        .zip(cpu_start)
        .map(|(end, start)| end - start)
        .filter(|used| *used > 0.0)
        .map(|used| n as f64 / used);
    Ok(Rate { wall, cpu })
}

fn openssl_conf(dir: &Path) -> Result<PathBuf, Box<dyn Error>> {
    let path = dir.join("openssl-gost.cnf");
    std::fs::write(
        &path,
        format!(
            "openssl_conf = openssl_def\n[openssl_def]\nengines = engine_section\n\
             [engine_section]\ngost = gost_section\n[gost_section]\nengine_id = gost\n\
             dynamic_path = {GOST_ENGINE}\ndefault_algorithms = ALL\n"
        ),
    )?;
    Ok(path)
}

/// `openssl` with the GOST engine configured or not.
fn openssl(conf: Option<&Path>) -> Command {
    let mut c = Command::new("openssl");
    if let Some(conf) = conf {
        c.env("OPENSSL_CONF", conf);
    }
    c.stdout(Stdio::null()).stderr(Stdio::null());
    c
}

fn main() -> Result<(), Box<dyn Error>> {
    let budget = Duration::from_secs(arg("--seconds", 2));
    let runs = arg("--openssl-runs", 100);
    let vectors = PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("tests/vectors");
    let doc_path = vectors.join("doc.txt");
    let document = std::fs::read(&doc_path)?;
    let tmp = std::env::temp_dir().join(format!("mezha-sig-bench-{}", std::process::id()));
    std::fs::create_dir_all(&tmp)?;
    let conf = openssl_conf(&tmp)?;
    let have_openssl = openssl(None)
        .arg("version")
        .status()
        .is_ok_and(|s| s.success());
    let have_gost = Path::new(GOST_ENGINE).exists();

    println!(
        "signatures  validations/s, one core: mezha-signatures in process vs `openssl cms -verify` \
         (a process per validation; 'work only' subtracts the start-up of `openssl version`)"
    );
    println!(
        "signatures  {:<44} {:>10} {:>14} {:>12} {:>10} {:>8} {:>9}",
        "algorithm",
        "mezha/s",
        "openssl proc/s",
        "openssl work/s",
        "mezha/work",
        "1st/s",
        "1st/work"
    );
    let mut cpu_rows = Vec::new();
    for case in CASES {
        let sig_path = vectors.join(case.family).join("valid.der");
        let root_path = vectors.join(case.family).join("root.pem");
        let signature = std::fs::read(&sig_path)?;
        let mut trust = TrustStore::new();
        trust.add_trust_anchor(&std::fs::read(&root_path)?)?;
        let options = ValidationOptions::default();
        let once = || {
            let r = validate(&document, &signature, &trust, &options);
            if r.indication == Indication::TotalPassed {
                Ok(())
            } else {
                Err(format!(
                    "{}: {:?} {:?}",
                    case.family, r.indication, r.sub_indication
                ))
            }
        };
        let ours = rate(budget, once)?;
        let first = rate(budget, || {
            forget_verified_signatures();
            once()
        })?;

        let (proc_rate, work_rate, cpu_work_rate) = if !have_openssl || (case.gost && !have_gost) {
            (None, None, None)
        } else {
            let gost_conf = case.gost.then_some(conf.as_path());
            let verify = || -> Result<(), String> {
                let ok = openssl(gost_conf)
                    .args([
                        "cms", "-verify", "-binary", "-inform", "DER", "-purpose", "any",
                    ])
                    .arg("-in")
                    .arg(&sig_path)
                    .arg("-content")
                    .arg(&doc_path)
                    .arg("-CAfile")
                    .arg(&root_path)
                    .args(["-out", "/dev/null"])
                    .status()
                    .map_err(|e| e.to_string())?
                    .success();
                if ok {
                    Ok(())
                } else {
                    Err(format!("openssl cms -verify failed for {}", case.family))
                }
            };
            let start = || -> Result<(), String> {
                openssl(gost_conf)
                    .arg("version")
                    .status()
                    .map(|_| ())
                    .map_err(|e| e.to_string())
            };
            // Wall-clock and children's CPU seconds per call.
            let timed = |f: &dyn Fn() -> Result<(), String>| -> Result<(f64, Option<f64>), String> {
                let cpu = cpu_seconds(true);
                let t = Instant::now();
                for _ in 0..runs {
                    f()?;
                }
                let wall = t.elapsed().as_secs_f64() / runs as f64;
                let cpu = cpu_seconds(true)
                    .zip(cpu)
                    .map(|(end, start)| (end - start) / runs as f64);
                Ok((wall, cpu))
            };
            let (per_verify, cpu_verify) = timed(&verify)?;
            let (per_start, cpu_start) = timed(&start)?;
            let work = per_verify - per_start;
            let cpu_work = cpu_verify.zip(cpu_start).map(|(v, s)| v - s);
            (
                Some(1.0 / per_verify),
                (work > 0.0).then(|| 1.0 / work),
                cpu_work.filter(|w| *w > 0.0).map(|w| 1.0 / w),
            )
        };
        let fmt = |v: Option<f64>| v.map_or_else(|| "n/a".to_owned(), |v| format!("{v:.0}"));
        let ratio = |v: Option<f64>, w: Option<f64>| {
            v.zip(w)
                .map_or_else(|| "n/a".to_owned(), |(v, w)| format!("{:.2}x", v / w))
        };
        println!(
            "signatures  {:<44} {:>10.0} {:>14} {:>12} {:>10} {:>8.0} {:>9}",
            case.label,
            ours.wall,
            fmt(proc_rate),
            fmt(work_rate),
            ratio(Some(ours.wall), work_rate),
            first.wall,
            ratio(Some(first.wall), work_rate)
        );
        cpu_rows.push(format!(
            "signatures  {:<44} {:>10} {:>14} {:>9}",
            case.label,
            fmt(first.cpu),
            fmt(cpu_work_rate),
            ratio(first.cpu, cpu_work_rate)
        ));
    }
    println!(
        "signatures  the same in CPU time (user + system, /proc; steadier than wall-clock time when \
         other work shares the cores): a chain seen for the first time"
    );
    println!(
        "signatures  {:<44} {:>10} {:>14} {:>9}",
        "algorithm", "1st cpu/s", "openssl work/s", "1st/work"
    );
    for row in &cpu_rows {
        println!("{row}");
    }
    let _ = std::fs::remove_dir_all(&tmp);
    Ok(())
}
