//! The platform offer (docs/organisations.md, "Confirmation"): the text the
//! head of an organisation signs to confirm it, filled in with its
//! requisites. The signature covers the UTF-8 bytes of [`text`], so the
//! same requisites and edition always give the same bytes.

use super::Requisites;

/// The edition of the offer's text; a new edition is a new text to sign.
pub const EDITION: &str = "2026-12-01";

/// The offer for `org`, as its head signs it.
pub fn text(org: &Requisites) -> String {
    format!(
        "ПУБЛИЧНАЯ ОФЕРТА ПЛАТФОРМЫ «МЕЖА» (редакция от {EDITION})\n\
         \n\
         Акцепт оферты\n\
         \n\
         {full_name} ({short_name}), ИНН {inn}, КПП {kpp}, ОГРН {ogrn}, \
         адрес: {address}, в лице {head_position} {head_name}, \
         действующего на основании устава (далее — Организация), \
         принимает условия публичной оферты платформы «Межа» \
         об использовании сервиса электронной регистрации сделок с недвижимостью.\n\
         \n\
         1. Организация поручает своим сотрудникам, приглашённым на платформу, \
         подготовку и направление в орган регистрации прав документов по сделкам \
         в пределах прав, предоставленных администратором Организации.\n\
         2. Организация обязуется обрабатывать персональные данные своих клиентов \
         в соответствии с Федеральным законом от 27.07.2006 № 152-ФЗ \
         «О персональных данных» и только для целей регистрации сделок.\n\
         3. Организация отвечает за действия своих сотрудников на платформе \
         и за достоверность представляемых ими сведений.\n\
         4. Государственная пошлина за регистрацию уплачивается Организацией \
         или участниками сделки по реквизитам, указанным платформой.\n\
         5. Акцептом оферты является подписание настоящего текста \
         усиленной квалифицированной электронной подписью руководителя Организации.\n",
        full_name = org.full_name,
        short_name = org.short_name,
        inn = org.inn.as_str(),
        kpp = org.kpp.as_str(),
        ogrn = org.ogrn.as_str(),
        address = org.address,
        head_position = org.head_position,
        head_name = org.head_name,
    )
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::organisations::RawRequisites;

    fn org(inn: &'static str) -> Requisites {
        Requisites::parse(RawRequisites {
            full_name: "Общество с ограниченной ответственностью «Квартал»",
            short_name: "ООО «Квартал»",
            inn,
            kpp: "770701001",
            ogrn: "1027700132195",
            address: "г. Москва, ул. Тверская, д. 1",
            head_name: "Сидоров Алексей Петрович",
            head_position: "генерального директора",
        })
        .unwrap()
    }

    #[test]
    fn the_text_names_the_organisation_and_is_stable() {
        let a = text(&org("7707083893"));
        assert!(a.contains("ИНН 7707083893, КПП 770701001, ОГРН 1027700132195"));
        assert!(a.contains(EDITION));
        assert_eq!(a, text(&org("7707083893")));
    }
}
