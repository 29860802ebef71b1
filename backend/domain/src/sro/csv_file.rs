//! Reading the CSV form of an import file.

use super::rows::{COLUMNS, Collector, Column, RawRow};

// ---------------------------------------------------------------------------
// CSV

/// `;` when the first non-blank line has more semicolons than commas outside
/// quotes, `,` otherwise.
pub(super) fn detect_delimiter(text: &str) -> u8 {
    let header = text
        .lines()
        .find(|l| !l.trim().is_empty())
        .unwrap_or_default();
    let (mut commas, mut semicolons, mut quoted) = (0usize, 0usize, false);
    for c in header.chars() {
        match c {
            '"' => quoted = !quoted,
            ',' if !quoted => commas += 1,
            ';' if !quoted => semicolons += 1,
            _ => {}
        }
    }
    if semicolons > commas { b';' } else { b',' }
}

fn record_line(record: &csv::StringRecord) -> usize {
    record
        .position()
        .and_then(|p| usize::try_from(p.line()).ok())
        .unwrap_or(0)
}

fn is_blank(record: &csv::StringRecord) -> bool {
    record.iter().all(|f| f.trim().is_empty())
}

fn csv_error(collector: &mut Collector, error: &csv::Error) {
    let line = error
        .position()
        .and_then(|p| usize::try_from(p.line()).ok())
        .unwrap_or(0);
    collector.issue(line, None, format!("unreadable CSV: {error}"));
}

pub(super) fn parse_csv(text: &str, collector: &mut Collector) {
    let mut reader = csv::ReaderBuilder::new()
        .has_headers(false)
        .flexible(true)
        .delimiter(detect_delimiter(text))
        .from_reader(text.as_bytes());
    let mut records = reader.records();

    let header = loop {
        match records.next() {
            None => return,
            Some(Err(e)) => return csv_error(collector, &e),
            Some(Ok(r)) if is_blank(&r) => {}
            Some(Ok(r)) => break r,
        }
    };
    let header_line = record_line(&header);
    let mut index: [Option<usize>; 6] = [None; 6];
    for (i, name) in header.iter().enumerate() {
        let name = name.trim().to_lowercase();
        let Some(column) = Column::from_name(&name) else {
            continue;
        };
        if index[column as usize].is_some() {
            collector.issue(
                header_line,
                Some(column.name()),
                format!("the column {} appears twice", column.name()),
            );
        } else {
            index[column as usize] = Some(i);
        }
    }
    for column in COLUMNS {
        if column.required() && index[column as usize].is_none() {
            collector.issue(
                header_line,
                Some(column.name()),
                format!("the required column {} is missing", column.name()),
            );
        }
    }
    if !collector.issues.is_empty() {
        return;
    }

    for record in records {
        let record = match record {
            Ok(record) => record,
            Err(e) => {
                csv_error(collector, &e);
                if collector.stopped {
                    return;
                }
                continue;
            }
        };
        if is_blank(&record) {
            continue;
        }
        let line = record_line(&record);
        if !collector.count_row(line) {
            return;
        }
        let extra_filled = record
            .iter()
            .skip(header.len())
            .any(|f| !f.trim().is_empty());
        if record.len() < header.len() || extra_filled {
            collector.issue(
                line,
                None,
                format!(
                    "the row has {} fields, the header has {}",
                    record.len(),
                    header.len()
                ),
            );
        } else {
            let raw: RawRow<'_> = index.map(|i| i.and_then(|i| record.get(i)));
            collector.row(line, &raw);
        }
        if collector.stopped {
            return;
        }
    }
}
