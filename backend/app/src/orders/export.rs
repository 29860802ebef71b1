//! The order's evidence export (`GET /orders/{id}/export`, docs/export.md):
//! one ZIP with every document of the order and every signature of it,
//! each signature's validation report, the order and its history as JSON,
//! a one-page PDF summary of who signed what and when, and
//! `manifest.json` with the SHA-256 of every other entry. Stored files are
//! copied into the archive piece by piece, never held whole; the archive
//! is written to an anonymous temporary file and streamed from there.

use super::{load, view};
use crate::Actor as Caller;
use crate::context::Core;
use crate::error::AppError;
use chrono::{DateTime, Utc};
use mezha_api_types::contracts::ContractParty;
use mezha_api_types::orders::HistoryEntry;
use mezha_domain::contracts::DocumentKind;
use mezha_store::files::FileRecord;
use mezha_store::paging::After;
use serde::Serialize;
use sha2::{Digest, Sha256};
use std::io::{Read, Seek, Write};
use std::path::Path;
use uuid::Uuid;

/// Rows read per query while gathering.
const PAGE: u64 = 100;

/// Where an entry's bytes come from.
enum Source {
    /// A stored file, copied piece by piece from where it is on this
    /// machine.
    Stored(Box<dyn AsRef<Path> + Send>),
    /// Bytes made for the export (JSON, signatures, the summary).
    Made(Vec<u8>),
}

struct Entry {
    path: String,
    source: Source,
}

/// One line of `manifest.json`.
#[derive(Debug, Serialize)]
struct Listed {
    path: String,
    size: u64,
    sha256: String,
}

/// One signature as the summary lists it.
struct Signed {
    document: String,
    sha256: String,
    party: ContractParty,
    signer: String,
    at: DateTime<Utc>,
    indication: String,
}

/// A stored file's name made safe as the last part of a path in the
/// archive (no directories, no leading dots).
fn safe_name(name: &str) -> String {
    let cleaned: String = name
        .chars()
        .map(|c| {
            if matches!(c, '/' | '\\' | ':') || c.is_control() {
                '_'
            } else {
                c
            }
        })
        .collect();
    let cleaned = cleaned.trim_start_matches('.').trim();
    if cleaned.is_empty() {
        "file".to_owned()
    } else {
        cleaned.to_owned()
    }
}

fn json(value: &impl Serialize) -> Result<Source, AppError> {
    serde_json::to_vec_pretty(value)
        .map(Source::Made)
        .map_err(AppError::internal)
}

/// Every row of a keyset-paged store list, page by page.
async fn all<T, F, Fut>(
    mut page: F,
    key: impl Fn(&T) -> (DateTime<Utc>, Uuid),
) -> Result<Vec<T>, AppError>
where
    F: FnMut(Option<After>) -> Fut,
    Fut: std::future::Future<Output = Result<(Vec<T>, bool), mezha_store::StoreError>>,
{
    let mut out: Vec<T> = Vec::new();
    let mut after = None;
    loop {
        let (rows, more) = page(after).await?;
        let last = rows.last().map(&key);
        out.extend(rows);
        match (more, last) {
            (true, Some(last)) => after = Some(last),
            _ => return Ok(out),
        }
    }
}

/// The contract or act versions of the order, each with its files, its
/// signatures and their reports.
async fn documents(
    state: &Core,
    order_id: Uuid,
    kind: DocumentKind,
    entries: &mut Vec<Entry>,
    signed: &mut Vec<Signed>,
) -> Result<(), AppError> {
    use mezha_store::contracts as store;
    let versions = all(
        |after| store::list(&state.db, order_id, kind, PAGE, after),
        |v| (v.created_at, v.id),
    )
    .await?;
    let files = mezha_store::files::find_many(
        &state.db,
        versions
            .iter()
            .flat_map(|v| [Some(v.file_id), v.docx_file_id, v.extra_file_id])
            .flatten()
            .collect(),
    )
    .await?;
    let mut signatures =
        store::signatures_of(&state.db, versions.iter().map(|v| v.id).collect()).await?;
    let (dir, label) = match kind {
        DocumentKind::Contract => ("contracts", "Договор"),
        DocumentKind::Act => ("acts", "Акт"),
    };
    for v in versions {
        let here = format!("{dir}/v{}", v.number);
        let mut document_sha256 = String::new();
        for id in [Some(v.file_id), v.docx_file_id, v.extra_file_id]
            .into_iter()
            .flatten()
        {
            if let Some(file) = files.get(&id) {
                if id == v.file_id {
                    document_sha256.clone_from(&file.sha256);
                }
                entries
                    .push(stored(state, &format!("{here}/{}", safe_name(&file.name)), file).await?);
            }
        }
        entries.push(Entry {
            path: format!("{here}/version.json"),
            source: json(&serde_json::json!({
                "id": v.id,
                "kind": kind.as_str(),
                "number": v.number,
                "status": v.status,
                "document_sha256": document_sha256,
                "terms": v.terms,
                "amount_kopecks": v.amount_kopecks,
                "completed_on": v.completed_on,
                "declined_reason": v.declined_reason,
                "created_at": v.created_at,
                "updated_at": v.updated_at,
            }))?,
        });
        for s in signatures.remove(&v.id).unwrap_or_default() {
            let party = s.party.as_str();
            entries.push(Entry {
                path: format!("{here}/signature-{party}.p7s"),
                source: Source::Made(s.signature.clone()),
            });
            entries.push(Entry {
                path: format!("{here}/report-{party}.json"),
                source: json(&s.report)?,
            });
            signed.push(Signed {
                document: format!("{label}, версия {}", v.number),
                sha256: document_sha256.clone(),
                party: s.party,
                signer: s.signer_name.clone().unwrap_or_default(),
                at: s.created_at,
                indication: s.report.indication.as_str().to_owned(),
            });
        }
    }
    Ok(())
}

/// A stored file's entry: read from the file storage's directory, or from
/// a temporary copy of it (an object store), kept until the archive is
/// written.
async fn stored(state: &Core, path: &str, file: &FileRecord) -> Result<Entry, AppError> {
    Ok(Entry {
        path: path.to_owned(),
        source: Source::Stored(Box::new(crate::files::local_copy(state, file.id).await?)),
    })
}

/// The invoices with their files and receipts, and the deliveries of
/// results with their files.
async fn money_and_results(
    state: &Core,
    order_id: Uuid,
    entries: &mut Vec<Entry>,
) -> Result<(), AppError> {
    let invoices = all(
        |after| mezha_store::invoices::list(&state.db, order_id, PAGE, after),
        |i| (i.created_at, i.id),
    )
    .await?;
    let deliveries = all(
        |after| mezha_store::results::list(&state.db, order_id, PAGE, after),
        |d| (d.created_at, d.id),
    )
    .await?;
    let ids = invoices
        .iter()
        .flat_map(|i| [i.file_id, i.receipt_file_id])
        .flatten()
        .chain(deliveries.iter().flat_map(|d| d.file_ids.clone()))
        .collect();
    let files = mezha_store::files::find_many(&state.db, ids).await?;
    for i in &invoices {
        let here = format!("invoices/{}", i.kind.as_str());
        for (what, id) in [("invoice", i.file_id), ("receipt", i.receipt_file_id)] {
            if let Some(file) = id.and_then(|id| files.get(&id)) {
                entries.push(
                    stored(
                        state,
                        &format!("{here}/{what}-{}", safe_name(&file.name)),
                        file,
                    )
                    .await?,
                );
            }
        }
        entries.push(Entry {
            path: format!("{here}/invoice.json"),
            source: json(&serde_json::json!({
                "id": i.id,
                "kind": i.kind,
                "status": i.status,
                "amount_kopecks": i.amount_kopecks,
                "link": i.link,
                "receipt_link": i.receipt_link,
                "created_at": i.created_at,
                "paid_at": i.paid_at,
                "confirmed_at": i.confirmed_at,
            }))?,
        });
    }
    for (n, d) in deliveries.iter().enumerate() {
        let here = format!("results/{:02}-{}", n + 1, d.stage.as_str());
        for (k, id) in d.file_ids.iter().enumerate() {
            if let Some(file) = files.get(id) {
                entries.push(
                    stored(
                        state,
                        &format!("{here}/{}-{}", k + 1, safe_name(&file.name)),
                        file,
                    )
                    .await?,
                );
            }
        }
        entries.push(Entry {
            path: format!("{here}/delivery.json"),
            source: json(&serde_json::json!({
                "id": d.id,
                "stage": d.stage,
                "method": d.method,
                "link": d.link,
                "uin": d.uin,
                "note": d.note,
                "created_at": d.created_at,
            }))?,
        });
    }
    Ok(())
}

/// The one-page summary: who signed what and when.
fn summary_pdf(
    number: i64,
    title: &str,
    at: DateTime<Utc>,
    signed: &[Signed],
) -> anyhow::Result<Vec<u8>> {
    let mut sheet = crate::pdf::Sheet::new(&format!("Сводка подписей по заказу № {number}"))?;
    sheet.centred(&format!("Сводка подписей по заказу № {number}"), 14.0);
    sheet.centred(title, 11.0);
    sheet.down(4.0);
    let moscow = |t: DateTime<Utc>| (t + chrono::Duration::hours(3)).format("%d.%m.%Y %H:%M МСК");
    sheet.paragraph(&format!("Выгрузка сформирована {}.", moscow(at)), 9.0, 0.0);
    sheet.down(2.0);
    if signed.is_empty() {
        sheet.paragraph("Подписанных документов нет.", 10.0, 0.0);
    }
    let mut last = String::new();
    for s in signed {
        if s.document != last {
            sheet.down(2.0);
            sheet.paragraph(&s.document, 10.0, 0.0);
            sheet.row("SHA-256", &s.sha256, 8.0, 25.0);
            last.clone_from(&s.document);
        }
        let party = match s.party {
            ContractParty::Engineer => "Исполнитель",
            ContractParty::Customer => "Заказчик",
        };
        sheet.row(
            party,
            &format!("{} — {}, {}", s.signer, moscow(s.at), s.indication),
            9.0,
            25.0,
        );
    }
    sheet.down(4.0);
    sheet.paragraph(
        "Файлы подписей (.p7s) и отчёты о проверке (.json) лежат рядом с документами; \
         manifest.json содержит SHA-256 каждого файла выгрузки.",
        8.0,
        0.0,
    );
    sheet.finish()
}

/// Writes a digest of everything written through it.
struct Hashing<W> {
    inner: W,
    hasher: Sha256,
    size: u64,
}

impl<W: Write> Write for Hashing<W> {
    fn write(&mut self, buf: &[u8]) -> std::io::Result<usize> {
        let n = self.inner.write(buf)?;
        self.hasher.update(&buf[..n]);
        self.size += n as u64;
        Ok(n)
    }

    fn flush(&mut self) -> std::io::Result<()> {
        self.inner.flush()
    }
}

/// The archive in an anonymous temporary file under `dir`: each entry,
/// then `manifest.json`; its size and SHA-256.
fn write_zip(
    dir: &std::path::Path,
    entries: Vec<Entry>,
) -> anyhow::Result<(std::fs::File, u64, String)> {
    let options = zip::write::SimpleFileOptions::default()
        .compression_method(zip::CompressionMethod::Deflated)
        .large_file(true);
    std::fs::create_dir_all(dir)?;
    let mut zip = zip::ZipWriter::new(tempfile::tempfile_in(dir)?);
    let mut manifest = Vec::with_capacity(entries.len());
    for entry in entries {
        zip.start_file(entry.path.as_str(), options)?;
        let mut out = Hashing {
            inner: &mut zip,
            hasher: Sha256::new(),
            size: 0,
        };
        match entry.source {
            Source::Stored(path) => {
                std::io::copy(&mut std::fs::File::open(path.as_ref())?, &mut out)?;
            }
            Source::Made(bytes) => out.write_all(&bytes)?,
        }
        manifest.push(Listed {
            path: entry.path,
            size: out.size,
            sha256: hex(out.hasher.finalize().as_slice()),
        });
    }
    zip.start_file("manifest.json", options)?;
    zip.write_all(&serde_json::to_vec_pretty(
        &serde_json::json!({ "files": manifest }),
    )?)?;
    let mut file = zip.finish()?;
    file.flush()?;
    file.rewind()?;
    let mut hasher = Sha256::new();
    let mut buf = vec![0u8; 64 * 1024];
    let mut size = 0u64;
    loop {
        let n = file.read(&mut buf)?;
        if n == 0 {
            break;
        }
        hasher.update(&buf[..n]);
        size += n as u64;
    }
    file.rewind()?;
    Ok((file, size, hex(hasher.finalize().as_slice())))
}

fn hex(bytes: &[u8]) -> String {
    bytes.iter().map(|b| format!("{b:02x}")).collect()
}

/// `GET /orders/{id}/export`: the archive of an order the caller may see,
/// described as a file (`order-<number>-documents.zip`) and opened for
/// reading.
pub async fn export(
    state: &Core,
    auth: &Caller,
    order_id: Uuid,
) -> Result<crate::files::Download, AppError> {
    let order = load(state, auth, order_id).await?;
    let (number, title) = (order.number, order.title.clone());
    let now = state.clock.now();
    let mut entries = vec![Entry {
        path: "order.json".to_owned(),
        source: json(&view(state, auth, order).await?)?,
    }];
    let history: Vec<HistoryEntry> = all(
        |after| mezha_store::orders::history(&state.db, order_id, PAGE, after),
        |h| (h.created_at, h.id),
    )
    .await?
    .into_iter()
    .map(super::transitions::history_entry)
    .collect();
    entries.push(Entry {
        path: "history.json".to_owned(),
        source: json(&history)?,
    });
    let mut signed = Vec::new();
    for kind in [DocumentKind::Contract, DocumentKind::Act] {
        documents(state, order_id, kind, &mut entries, &mut signed).await?;
    }
    money_and_results(state, order_id, &mut entries).await?;
    // Scratch space, whatever the file storage is (TMPDIR).
    let dir = std::env::temp_dir();
    let (file, size, sha256) = tokio::task::spawn_blocking(move || {
        let summary = summary_pdf(number, &title, now, &signed)?;
        entries.push(Entry {
            path: "summary.pdf".to_owned(),
            source: Source::Made(summary),
        });
        write_zip(&dir, entries)
    })
    .await
    .map_err(AppError::internal)?
    .map_err(AppError::internal)?;
    let record = FileRecord {
        id: Uuid::nil(),
        owner_id: auth.user_id,
        name: format!("order-{number}-documents.zip"),
        content_type: "application/zip".to_owned(),
        size: i64::try_from(size).unwrap_or(i64::MAX),
        sha256,
        created_at: now,
    };
    Ok(crate::files::Download::made(record, file))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn names_in_the_archive_cannot_climb_out() {
        assert_eq!(safe_name("../../etc/passwd"), "_.._etc_passwd");
        assert_eq!(safe_name("..."), "file");
        assert_eq!(safe_name("план.pdf"), "план.pdf");
        assert_eq!(safe_name("a\\b:c\n.pdf"), "a_b_c_.pdf");
    }

    #[test]
    fn the_manifest_lists_every_entry_with_its_digest() {
        let dir = tempfile::tempdir().unwrap();
        let stored = dir.path().join("stored");
        std::fs::write(&stored, b"%PDF-1.7 plan").unwrap();
        let entries = vec![
            Entry {
                path: "contracts/v1/plan.pdf".into(),
                source: Source::Stored(Box::new(stored)),
            },
            Entry {
                path: "history.json".into(),
                source: Source::Made(b"[]".to_vec()),
            },
        ];
        let (file, size, sha256) = write_zip(dir.path(), entries).unwrap();
        assert!(size > 0);
        assert_eq!(sha256.len(), 64);
        let mut archive = zip::ZipArchive::new(file).unwrap();
        let mut manifest = String::new();
        archive
            .by_name("manifest.json")
            .unwrap()
            .read_to_string(&mut manifest)
            .unwrap();
        let manifest: serde_json::Value = serde_json::from_str(&manifest).unwrap();
        assert_eq!(manifest["files"][0]["path"], "contracts/v1/plan.pdf");
        assert_eq!(
            manifest["files"][0]["sha256"],
            mezha_domain::digest::sha256_hex(b"%PDF-1.7 plan")
        );
        assert_eq!(manifest["files"][1]["size"], 2);
        let mut plan = Vec::new();
        archive
            .by_name("contracts/v1/plan.pdf")
            .unwrap()
            .read_to_end(&mut plan)
            .unwrap();
        assert_eq!(plan, b"%PDF-1.7 plan");
    }
}
