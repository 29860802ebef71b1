//! What an uploaded file is, by its content (docs/orders.md,
//! "Attachments"): the media type a client declares must match the file's
//! own first bytes, so HTML sent as `application/pdf` or a program sent as
//! `image/png` is refused, and no program is accepted under any type.
//! Decided on the first [`SNIFF_LEN`] bytes (or the whole file when
//! shorter), while the upload streams.

/// How many leading bytes decide.
pub const SNIFF_LEN: usize = 4096;

/// Why a file's content was refused.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Refusal {
    /// A program (PE, ELF, Mach-O, Java class, DEX, WebAssembly).
    Executable,
    /// The content is not of the declared type.
    NotDeclaredType,
}

/// The OLE2 compound file signature (`.doc`, `.xls` of Office 97–2003).
const OLE2: [u8; 8] = [0xD0, 0xCF, 0x11, 0xE0, 0xA1, 0xB1, 0x1A, 0xE1];

/// A Windows program: the DOS header (`MZ`) pointing at a `PE\0\0` header
/// (two letters alone would refuse a text that starts with "MZ").
fn is_pe(head: &[u8]) -> bool {
    let Some(offset) = head.get(0x3C..0x40) else {
        return false;
    };
    let offset = u32::from_le_bytes([offset[0], offset[1], offset[2], offset[3]]) as usize;
    head.starts_with(b"MZ") && head.get(offset..offset.saturating_add(4)) == Some(b"PE\0\0")
}

fn is_program(head: &[u8]) -> bool {
    use infer::app;
    is_pe(head)
        || app::is_elf(head)
        || app::is_mach(head)
        || app::is_java(head)
        || app::is_dex(head)
        || app::is_dey(head)
        || app::is_wasm(head)
}

/// Text: UTF-8 without NUL bytes (a character cut at the end of `head`
/// is fine: the file goes on).
fn is_text(head: &[u8]) -> bool {
    if head.contains(&0) {
        return false;
    }
    match std::str::from_utf8(head) {
        Ok(_) => true,
        Err(e) => e.error_len().is_none(),
    }
}

/// XML: text whose first non-blank character (after a byte-order mark) is `<`.
fn is_xml(head: &[u8]) -> bool {
    let body = head.strip_prefix(b"\xEF\xBB\xBF").unwrap_or(head);
    is_text(head) && body.iter().find(|b| !b.is_ascii_whitespace()) == Some(&b'<')
}

/// Whether `head`, the first bytes of a file (all of it when shorter than
/// [`SNIFF_LEN`]), may be stored as `declared`. Types without a signature
/// of their own (`application/octet-stream`, …) are taken as declared,
/// except for programs.
pub fn check(declared: &str, head: &[u8]) -> Result<(), Refusal> {
    use infer::{archive, image};
    if is_program(head) {
        return Err(Refusal::Executable);
    }
    let matches = match declared {
        "application/pdf" => archive::is_pdf(head),
        "image/jpeg" => image::is_jpeg(head),
        "image/png" => image::is_png(head),
        "image/tiff" => image::is_tiff(head),
        "image/gif" => image::is_gif(head),
        "image/webp" => image::is_webp(head),
        "application/zip"
        | "application/vnd.openxmlformats-officedocument.wordprocessingml.document"
        | "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet" => {
            archive::is_zip(head)
        }
        "application/msword" | "application/vnd.ms-excel" => head.starts_with(&OLE2),
        "application/xml" | "text/xml" => is_xml(head),
        "text/plain" | "text/csv" => is_text(head),
        _ => true,
    };
    if matches {
        Ok(())
    } else {
        Err(Refusal::NotDeclaredType)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    const PDF: &[u8] = b"%PDF-1.7\n%\xE2\xE3\xCF\xD3\n1 0 obj";
    const PNG: &[u8] = b"\x89PNG\r\n\x1a\n\0\0\0\rIHDR";
    const HTML: &[u8] = b"<!doctype html><script>alert(1)</script>";
    fn exe() -> Vec<u8> {
        let mut exe = b"MZ\x90\0".to_vec();
        exe.resize(0x80, 0);
        exe[0x3C] = 0x80;
        exe.extend_from_slice(b"PE\0\0\x64\x86");
        exe
    }

    fn elf() -> Vec<u8> {
        let mut elf = b"\x7fELF\x02\x01\x01".to_vec();
        elf.resize(64, 0);
        elf
    }

    #[test]
    fn the_declared_type_must_be_the_contents() {
        assert_eq!(check("application/pdf", PDF), Ok(()));
        assert_eq!(check("image/png", PNG), Ok(()));
        assert_eq!(
            check("application/pdf", HTML),
            Err(Refusal::NotDeclaredType)
        );
        assert_eq!(check("image/png", PDF), Err(Refusal::NotDeclaredType));
        assert_eq!(check("image/jpeg", b"\xFF\xD8\xFF\xE0\0\x10JFIF"), Ok(()));
        assert_eq!(check("application/zip", b"PK\x03\x04\x14\0"), Ok(()));
        assert_eq!(
            check(
                "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
                PDF
            ),
            Err(Refusal::NotDeclaredType)
        );
        assert_eq!(check("application/msword", &OLE2), Ok(()));
        assert_eq!(check("application/pdf", b""), Err(Refusal::NotDeclaredType));
    }

    #[test]
    fn text_and_xml_are_utf8_without_nul() {
        assert_eq!(check("text/plain", "Межевой план".as_bytes()), Ok(()));
        // A character cut by the end of the sniffed part is not an error.
        let cut = &"ж".as_bytes()[..1];
        assert_eq!(check("text/plain", cut), Ok(()));
        assert_eq!(check("text/plain", b"a\0b"), Err(Refusal::NotDeclaredType));
        assert_eq!(
            check("text/plain", b"\xff\xfe\xfd"),
            Err(Refusal::NotDeclaredType)
        );
        assert_eq!(
            check("application/xml", b"\xEF\xBB\xBF  <?xml version=\"1.0\"?>"),
            Ok(())
        );
        assert_eq!(check("text/xml", b"not xml"), Err(Refusal::NotDeclaredType));
    }

    #[test]
    fn programs_are_refused_under_any_type() {
        for declared in [
            "image/png",
            "application/octet-stream",
            "text/plain",
            "application/x-custom",
        ] {
            assert_eq!(
                check(declared, &exe()),
                Err(Refusal::Executable),
                "{declared}"
            );
            assert_eq!(
                check(declared, &elf()),
                Err(Refusal::Executable),
                "{declared}"
            );
        }
        // A text that merely starts with "MZ" is text.
        assert_eq!(
            check("text/plain", b"MZ-1: the plan of the land plot"),
            Ok(())
        );
        // A signature file (DER) is not a program.
        assert_eq!(
            check("application/pkcs7-signature", b"\x30\x82\x05\x00\x06\x09"),
            Ok(())
        );
    }
}
