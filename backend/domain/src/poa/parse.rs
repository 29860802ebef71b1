//! Reading an EMCHD_1 document into a [`PowerOfAttorney`]: the paths are
//! listed in the module docs of [`crate::poa`].

use super::xml::{NodeId, Tree};
use super::{MAX_XML_BYTES, Part, Person, PoaError, Power, PowerOfAttorney, Principal};
use crate::FieldError;
use crate::full_name::FullName;
use crate::inn::{Inn, InnKind};
use crate::ogrn::Ogrn;
use crate::requisites::Kpp;
use crate::snils::Snils;
use chrono::NaiveDate;
use uuid::Uuid;

/// The root element.
const ROOT: &str = "Доверенность";
/// The only `ВерсФорм` read.
const FORMAT: &str = "EMCHD_1";

pub(super) fn parse(xml: &[u8]) -> Result<PowerOfAttorney, PoaError> {
    if xml.len() > MAX_XML_BYTES {
        return Err(PoaError::TooLarge { bytes: xml.len() });
    }
    let text = std::str::from_utf8(xml)
        .map_err(|e| PoaError::Malformed(format!("the document is not UTF-8: {e}")))?;
    let text = text.strip_prefix('\u{feff}').unwrap_or(text);
    let tree = Tree::parse(text).map_err(PoaError::Malformed)?;
    let root = tree.root();
    if tree.name(root) != ROOT {
        return Err(PoaError::NotPowerOfAttorney(tree.name(root).to_owned()));
    }
    match tree.attr(root, "ВерсФорм") {
        Some(FORMAT) => {}
        other => {
            return Err(PoaError::UnsupportedFormat {
                found: other.map(str::to_owned),
            });
        }
    }
    let document = tree
        .child(root, "Документ")
        .ok_or(PoaError::Missing(Part::Document))?;
    if tree.child(document, "Передов").is_some() {
        return Err(PoaError::Redelegated);
    }
    let body = tree
        .child(document, "Довер")
        .ok_or(PoaError::Missing(Part::Document))?;

    let details = tree.child(body, "СвДов");
    let attr = |name| details.and_then(|d| tree.attr(d, name));
    let number = attr("НомДовер").ok_or(PoaError::Missing(Part::Number))?;
    let number = Uuid::parse_str(number).map_err(|_| {
        PoaError::Invalid(
            Part::Number,
            FieldError::new("uuid_format", "the number is a UUID"),
        )
    })?;
    let issued_on = date(attr("ДатаВыдДовер"), Part::IssuedOn)?;
    let valid_until = date(attr("СрокДейст"), Part::ValidUntil)?;
    if valid_until < issued_on {
        return Err(PoaError::EndsBeforeIssue {
            issued_on,
            valid_until,
        });
    }

    Ok(PowerOfAttorney {
        number,
        internal_number: attr("ВнНомДовер").map(str::to_owned),
        issued_on,
        valid_until,
        principal: principal(&tree, body)?,
        representative: representative(&tree, body)?,
        powers: powers(&tree, body)?,
    })
}

/// A date written `YYYY-MM-DD` (`xs:date`; a time-zone suffix, `Z` or
/// `±hh:mm`, is allowed and ignored).
fn date(value: Option<&str>, part: Part) -> Result<NaiveDate, PoaError> {
    let value = value.ok_or(PoaError::Missing(part))?;
    let bad = || {
        PoaError::Invalid(
            part,
            FieldError::new("date_format", "a date is written YYYY-MM-DD"),
        )
    };
    let (day, zone) = (value.get(..10).ok_or_else(bad)?, &value[10..]);
    let digits = |s: &str, at: &[usize]| at.iter().all(|i| s.as_bytes()[*i].is_ascii_digit());
    let shape = digits(day, &[0, 1, 2, 3, 5, 6, 8, 9])
        && day.as_bytes()[4] == b'-'
        && day.as_bytes()[7] == b'-';
    let zone_ok = zone.is_empty()
        || zone == "Z"
        || (zone.len() == 6
            && matches!(zone.as_bytes()[0], b'+' | b'-')
            && zone.as_bytes()[3] == b':'
            && digits(zone, &[1, 2, 4, 5]));
    if !shape || !zone_ok {
        return Err(bad());
    }
    NaiveDate::parse_from_str(day, "%Y-%m-%d").map_err(|_| bad())
}

/// `СвДоверит/Доверит/РосОргДовер`: the organisation and its head.
fn principal(tree: &Tree, body: NodeId) -> Result<Principal, PoaError> {
    let mut principals = tree.children(body, "СвДоверит");
    let first = principals
        .next()
        .ok_or(PoaError::Missing(Part::Principal))?;
    if principals.next().is_some() {
        return Err(PoaError::SeveralPrincipals);
    }
    let who = tree
        .child(first, "Доверит")
        .ok_or(PoaError::Missing(Part::Principal))?;
    let organisation = match tree.child(who, "РосОргДовер") {
        Some(organisation) => organisation,
        None if tree.elements(who).next().is_some() => {
            return Err(PoaError::PrincipalNotOrganisation);
        }
        None => return Err(PoaError::Missing(Part::Principal)),
    };
    let details = tree
        .child(organisation, "СвРосОрг")
        .ok_or(PoaError::Missing(Part::Principal))?;
    let attr = |name, part| tree.attr(details, name).ok_or(PoaError::Missing(part));

    let name = attr("НаимОрг", Part::PrincipalName)?
        .split_whitespace()
        .collect::<Vec<_>>()
        .join(" ");
    let inn = Inn::parse(attr("ИННЮЛ", Part::PrincipalInn)?)
        .and_then(|inn| match inn.kind() {
            InnKind::LegalEntity => Ok(inn),
            InnKind::Person => Err(FieldError::new(
                "inn_not_legal_entity",
                "an organisation's INN has 10 digits",
            )),
        })
        .map_err(|e| PoaError::Invalid(Part::PrincipalInn, e))?;
    let kpp = Kpp::parse(attr("КПП", Part::PrincipalKpp)?)
        .map_err(|e| PoaError::Invalid(Part::PrincipalKpp, e))?;
    let ogrn = tree
        .attr(details, "ОГРН")
        .map(|ogrn| Ogrn::parse_for(ogrn, InnKind::LegalEntity))
        .transpose()
        .map_err(|e| PoaError::Invalid(Part::PrincipalOgrn, e))?;

    // The first person acting without a power of attorney: directly under
    // ЛицоБезДов, or under ЛицоБезДов/СВЮЛ when a management company heads
    // the organisation.
    let head = tree
        .child(organisation, "ЛицоБезДов")
        .and_then(|acting| tree.descendant(acting, "СвФЛ"))
        .ok_or(PoaError::Missing(Part::Head))?;
    let head = person(tree, head, [Part::HeadName, Part::HeadSnils, Part::HeadInn])?;
    Ok(Principal {
        name,
        inn,
        kpp,
        ogrn,
        head,
    })
}

/// `СвУпПред/Пред/СведФизЛ`: the one representative, a natural person with
/// a SNILS or an INN.
fn representative(tree: &Tree, body: NodeId) -> Result<Person, PoaError> {
    let mut representatives = tree.children(body, "СвУпПред");
    let first = representatives
        .next()
        .ok_or(PoaError::Missing(Part::Representative))?;
    if representatives.next().is_some() {
        return Err(PoaError::SeveralRepresentatives);
    }
    let who = tree
        .child(first, "Пред")
        .ok_or(PoaError::Missing(Part::Representative))?;
    let node = match tree.child(who, "СведФизЛ") {
        Some(node) => node,
        None if tree.elements(who).next().is_some() => {
            return Err(PoaError::RepresentativeNotPerson);
        }
        None => return Err(PoaError::Missing(Part::Representative)),
    };
    let representative = person(
        tree,
        node,
        [
            Part::RepresentativeName,
            Part::RepresentativeSnils,
            Part::RepresentativeInn,
        ],
    )?;
    if representative.snils.is_none() && representative.inn.is_none() {
        return Err(PoaError::Missing(Part::RepresentativeId));
    }
    Ok(representative)
}

/// A natural person (`СвФЛ`, `СведФизЛ`): the name from `СведФЛ/ФИО` (or a
/// `ФИО` right under the element), `СНИЛС` and `ИННФЛ` when given.
/// `[name, snils, inn]` are the parts to blame.
fn person(tree: &Tree, node: NodeId, [name, snils, inn]: [Part; 3]) -> Result<Person, PoaError> {
    let fio = tree
        .child(node, "СведФЛ")
        .and_then(|details| tree.child(details, "ФИО"))
        .or_else(|| tree.child(node, "ФИО"))
        .ok_or(PoaError::Missing(name))?;
    let surname = tree.attr(fio, "Фамилия").ok_or(PoaError::Missing(name))?;
    let given = tree.attr(fio, "Имя").ok_or(PoaError::Missing(name))?;
    let full = match tree.attr(fio, "Отчество") {
        Some(patronymic) => format!("{surname} {given} {patronymic}"),
        None => format!("{surname} {given}"),
    };
    let full_name = FullName::parse(&full).map_err(|e| PoaError::Invalid(name, e))?;
    let snils_value = tree
        .attr(node, "СНИЛС")
        .map(Snils::parse)
        .transpose()
        .map_err(|e| PoaError::Invalid(snils, e))?;
    let inn_value = tree
        .attr(node, "ИННФЛ")
        .map(|value| {
            Inn::parse(value).and_then(|parsed| match parsed.kind() {
                InnKind::Person => Ok(parsed),
                InnKind::LegalEntity => Err(FieldError::new(
                    "inn_not_person",
                    "a person's INN has 12 digits",
                )),
            })
        })
        .transpose()
        .map_err(|e| PoaError::Invalid(inn, e))?;
    Ok(Person {
        full_name,
        snils: snils_value,
        inn: inn_value,
    })
}

/// `СвПолн/МашПолн`: at least one machine-readable power.
fn powers(tree: &Tree, body: NodeId) -> Result<Vec<Power>, PoaError> {
    let list = tree
        .child(body, "СвПолн")
        .ok_or(PoaError::Missing(Part::Powers))?;
    let powers = tree
        .children(list, "МашПолн")
        .map(|power| {
            Ok(Power {
                code: tree
                    .attr(power, "КодПолн")
                    .ok_or(PoaError::Missing(Part::PowerCode))?
                    .to_owned(),
                name: tree.attr(power, "НаимПолн").unwrap_or_default().to_owned(),
                restricted: tree.child(power, "ОгрСвПолн").is_some(),
            })
        })
        .collect::<Result<Vec<_>, PoaError>>()?;
    if powers.is_empty() {
        return Err(PoaError::Missing(Part::Powers));
    }
    Ok(powers)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn dates_are_iso_with_an_optional_zone() {
        let ok = |s: &str| date(Some(s), Part::IssuedOn).unwrap();
        let d = NaiveDate::from_ymd_opt(2025, 3, 1).unwrap();
        for s in [
            "2025-03-01",
            "2025-03-01Z",
            "2025-03-01+03:00",
            "2025-03-01-05:00",
        ] {
            assert_eq!(ok(s), d, "{s}");
        }
        for bad in [
            "01.03.2025",
            "2025-3-01",
            "2025-03-1",
            "2025-02-30",
            "2025-03-01T00:00:00",
            "2025-03-01+3:00",
            "2025-03-01 ",
            "2025-03-0я",
            "я025-03-01",
            "2025",
            "+2025-03-01",
        ] {
            let error = date(Some(bad), Part::IssuedOn).unwrap_err();
            assert_eq!(error.code(), "poa_invalid_issued_on", "{bad}");
        }
        assert_eq!(
            date(None, Part::ValidUntil).unwrap_err().code(),
            "poa_missing_valid_until"
        );
    }
}
