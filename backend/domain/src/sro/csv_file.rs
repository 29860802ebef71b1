//! Reading the CSV form of an import file.

use super::rows::{COLUMNS, Collector, Column, RawActions, RawRow, TEXT_COLUMNS};

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
    if header.iter().any(|name| name.contains('\0')) {
        collector.nul(header_line, None);
        return;
    }
    let mut index: [Option<usize>; COLUMNS.len()] = [None; COLUMNS.len()];
    let mut names = COLUMNS.map(Column::name);
    for (i, name) in header.iter().enumerate() {
        let name = name.trim().to_lowercase();
        let Some((column, spelled)) = Column::from_name(&name) else {
            continue;
        };
        if index[column as usize].is_some() {
            let first = names[column as usize];
            let message = if first == spelled {
                format!("the column {spelled} appears twice")
            } else {
                format!("the columns {first} and {spelled} are the same column; keep one")
            };
            collector.issue(header_line, Some(spelled), message);
        } else {
            index[column as usize] = Some(i);
            names[column as usize] = spelled;
        }
    }
    for column in COLUMNS {
        if column.required() && index[column as usize].is_none() {
            collector.issue(header_line, Some(column.name()), column.missing());
        }
    }
    if !collector.issues.is_empty() {
        return;
    }
    // Issues about a field name it as the header does (any column).
    let field_name = |i: usize| -> Option<String> {
        let name = header.get(i)?.trim().to_lowercase();
        match Column::from_name(&name) {
            Some((column, _)) => Some(names[column as usize].to_owned()),
            None if name.is_empty() => None,
            None => Some(name),
        }
    };

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
        if record.iter().any(|f| f.contains('\0')) {
            // Any column, known or not (or none): nothing with U+0000 is taken.
            for (i, _) in record.iter().enumerate().filter(|(_, f)| f.contains('\0')) {
                collector.nul(line, field_name(i).as_deref());
            }
        } else if record.len() < header.len() || extra_filled {
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
            let mut values = [None; TEXT_COLUMNS];
            for (slot, i) in values.iter_mut().zip(index) {
                *slot = i.and_then(|i| record.get(i));
            }
            let actions = match index[Column::DisciplinaryActions as usize] {
                Some(i) => RawActions::Cell(record.get(i).unwrap_or_default()),
                None => RawActions::Absent,
            };
            collector.row(
                line,
                &RawRow {
                    values,
                    actions,
                    names,
                },
            );
        }
        if collector.stopped {
            return;
        }
    }
}
