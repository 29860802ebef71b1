//! The file storage (docs/storage.md): downloads with byte ranges on both
//! back-ends (a local directory, an S3 bucket), and `mezha storage migrate`
//! moving a directory's files into a bucket, verified and resumable.

use crate::helpers::{Backend, TestApp, problem, spawn_app};
use crate::on_both_backends;
use mezha_api_types::orders::FileInfo;
use sha2::{Digest as _, Sha256};

on_both_backends!(downloads_answer_one_byte_range);

/// A PDF-looking file of `len` bytes whose bytes tell their offset.
fn pdf(len: usize) -> Vec<u8> {
    let mut bytes = b"%PDF-1.7\n".to_vec();
    bytes.extend((bytes.len()..len).map(|i| b'a' + (i % 26) as u8));
    bytes
}

/// Uploads `bytes` as the PDF `name`; it must be stored.
pub(crate) async fn upload(app: &TestApp, token: &str, name: &str, bytes: Vec<u8>) -> FileInfo {
    let resp = app
        .client
        .post(app.url(&format!("/api/v1/files?name={name}")))
        .bearer_auth(token)
        .header("content-type", "application/pdf")
        .body(bytes)
        .send()
        .await
        .unwrap();
    assert_eq!(resp.status(), 201, "{}", resp.text().await.unwrap());
    resp.json().await.unwrap()
}

async fn download(
    app: &TestApp,
    token: &str,
    id: uuid::Uuid,
    headers: &[(&str, &str)],
) -> reqwest::Response {
    let mut request = app
        .client
        .get(app.url(&format!("/api/v1/files/{id}")))
        .bearer_auth(token);
    for (name, value) in headers {
        request = request.header(*name, *value);
    }
    request.send().await.unwrap()
}

fn header<'a>(resp: &'a reqwest::Response, name: &str) -> &'a str {
    resp.headers()
        .get(name)
        .map_or("", |v| v.to_str().unwrap_or(""))
}

async fn downloads_answer_one_byte_range(backend: Backend) {
    let app = spawn_app(backend).await;
    let anna = app.user("anna@example.ru").await;
    let token = &anna.tokens.access_token;
    // Over one S3 part, so that a range is read from the middle of an
    // object uploaded in parts.
    let len = 9 * 1024 * 1024 + 17;
    let bytes = pdf(len);
    let file = upload(&app, token, "plan.pdf", bytes.clone()).await;
    let etag = format!("\"{}\"", file.sha256);

    let whole = download(&app, token, file.id, &[]).await;
    assert_eq!(whole.status(), 200);
    assert_eq!(header(&whole, "accept-ranges"), "bytes");
    assert_eq!(header(&whole, "etag"), etag);
    assert_eq!(whole.bytes().await.unwrap().as_ref(), bytes.as_slice());

    let from = 8 * 1024 * 1024 - 3;
    let cases: [(String, std::ops::Range<usize>); 4] = [
        ("bytes=0-8".into(), 0..9),
        (format!("bytes={from}-{}", from + 9), from..from + 10),
        ("bytes=-5".into(), len - 5..len),
        (format!("bytes={}-", len - 2), len - 2..len),
    ];
    for (range, expected) in cases {
        let part = download(&app, token, file.id, &[("range", &range)]).await;
        assert_eq!(part.status(), 206, "{range}");
        assert_eq!(
            header(&part, "content-range"),
            format!("bytes {}-{}/{len}", expected.start, expected.end - 1),
            "{range}"
        );
        assert_eq!(
            header(&part, "content-length"),
            expected.len().to_string(),
            "{range}"
        );
        assert_eq!(
            part.bytes().await.unwrap().as_ref(),
            &bytes[expected.clone()],
            "{range}"
        );
    }

    let past = download(&app, token, file.id, &[("range", &format!("bytes={len}-"))]).await;
    assert_eq!(header(&past, "content-range"), format!("bytes */{len}"));
    problem(past, 416, "range_not_satisfiable").await;

    // Several ranges, or a stale If-Range: the whole file.
    for headers in [
        vec![("range", "bytes=0-1,5-6")],
        vec![("range", "bytes=0-1"), ("if-range", "\"another version\"")],
    ] {
        let resp = download(&app, token, file.id, &headers).await;
        assert_eq!(resp.status(), 200, "{headers:?}");
        assert_eq!(resp.bytes().await.unwrap().len(), len, "{headers:?}");
    }
    let current = download(
        &app,
        token,
        file.id,
        &[("range", "bytes=0-3"), ("if-range", &etag)],
    )
    .await;
    assert_eq!(current.status(), 206);
    assert_eq!(current.bytes().await.unwrap().as_ref(), b"%PDF");

    // Nobody else gets a byte of it, ranged or not.
    let boris = app.user("boris@example.ru").await;
    let refused = download(
        &app,
        &boris.tokens.access_token,
        file.id,
        &[("range", "bytes=0-3")],
    )
    .await;
    assert_eq!(refused.status(), 404);
}

fn sha256_hex(bytes: &[u8]) -> String {
    Sha256::digest(bytes)
        .iter()
        .map(|b| format!("{b:02x}"))
        .collect()
}

/// `mezha storage migrate` with the app's data directory and database, into
/// `bucket`.
fn migrate(app: &TestApp, bucket: &str) -> (bool, String) {
    let s3 = mezha_testkit::s3::server();
    let data_dir = &app.config.data_dir;
    let out = std::process::Command::new(env!("CARGO_BIN_EXE_mezha"))
        .args(["storage", "migrate", "--from", "local", "--to", "s3"])
        .env_clear()
        .env("PATH", std::env::var_os("PATH").unwrap_or_default())
        .env("MEZHA_DATA_DIR", data_dir)
        .env("DATABASE_URL", app.database_url())
        .env("MEZHA_LOG_LEVEL", "warn")
        .env("MEZHA_STORAGE__ENDPOINT", &s3.endpoint)
        .env("MEZHA_STORAGE__BUCKET", bucket)
        .env("MEZHA_STORAGE__ACCESS_KEY_ID", &s3.access_key_id)
        .env("MEZHA_STORAGE__SECRET_ACCESS_KEY", &s3.secret_access_key)
        .output()
        .unwrap();
    let text = format!(
        "{}{}",
        String::from_utf8_lossy(&out.stdout),
        String::from_utf8_lossy(&out.stderr)
    );
    (out.status.success(), text)
}

/// A directory's files move into a bucket: each verified against its
/// record (a file changed on disk is refused, not copied), photos too, and
/// a second run resumes, copying only what is not there yet.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn files_move_from_a_directory_to_a_bucket() {
    let app = spawn_app(Backend::Embedded).await;
    let anna = app.user("anna@example.ru").await;
    let token = &anna.tokens.access_token;
    let plan = pdf(3 * 1024);
    let survey = pdf(10 * 1024 * 1024);
    let plan_file = upload(&app, token, "plan.pdf", plan.clone()).await;
    let survey_file = upload(&app, token, "survey.pdf", survey.clone()).await;
    assert_eq!(survey_file.sha256, sha256_hex(&survey));
    // A profile photo's size: bytes no `files` record names.
    let files_dir = app.config.data_dir.join("files");
    std::fs::create_dir_all(files_dir.join("avatars")).unwrap();
    std::fs::write(files_dir.join("avatars/0123abcd-64.jpg"), b"\xff\xd8jpeg").unwrap();

    // The plan changed on disk (same size, other bytes): refused.
    let plan_path = files_dir.join(plan_file.id.simple().to_string());
    let mut changed = plan.clone();
    changed[100] ^= 1;
    std::fs::write(&plan_path, &changed).unwrap();

    let s3 = mezha_testkit::s3::server();
    let bucket = s3.new_bucket().await;
    let (ok, text) = migrate(&app, &bucket);
    assert!(!ok, "{text}");
    assert!(
        text.contains("copied 2 file(s)") && text.contains("1 not matching their record"),
        "{text}"
    );
    assert!(
        text.contains(&format!(
            "{}: its bytes do not match",
            plan_file.id.simple()
        )),
        "{text}"
    );

    // Put right, a second run copies only the plan.
    std::fs::write(&plan_path, &plan).unwrap();
    let (ok, text) = migrate(&app, &bucket);
    assert!(ok, "{text}");
    assert!(
        text.contains("copied 1 file(s)") && text.contains("2 already there"),
        "{text}"
    );

    let target = mezha_store::storage::Storage::s3(&mezha_store::storage::S3Settings {
        endpoint: Some(s3.endpoint.clone()),
        region: "us-east-1".into(),
        bucket: bucket.clone(),
        access_key_id: Some(s3.access_key_id.clone()),
        secret_access_key: Some(s3.secret_access_key.clone()),
        path_style: true,
    })
    .unwrap();
    let keys: Vec<String> = target
        .list("")
        .await
        .unwrap()
        .into_iter()
        .map(|(key, _)| key)
        .collect();
    let mut expected = vec![
        "avatars/0123abcd-64.jpg".to_owned(),
        plan_file.id.simple().to_string(),
        survey_file.id.simple().to_string(),
    ];
    expected.sort();
    assert_eq!(keys, expected);
    let copied = target
        .read_all(&survey_file.id.simple().to_string())
        .await
        .unwrap();
    assert_eq!(sha256_hex(&copied), survey_file.sha256);
    assert_eq!(
        target
            .read_all(&plan_file.id.simple().to_string())
            .await
            .unwrap(),
        plan
    );
    assert!(s3.incomplete_uploads(&bucket).await.is_empty());
    // Nothing was taken from the directory.
    assert_eq!(std::fs::read(&plan_path).unwrap(), plan);
    s3.remove_bucket(&bucket).await;
}
