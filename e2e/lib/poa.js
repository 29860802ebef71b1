// Machine-readable powers of attorney (МЧД) for the browser tests: a
// well-formed EMCHD_1 document (docs/power-of-attorney.md, "The format
// read"), written like the backend's test kit writes it
// (backend/testkit/src/poa.rs: the same elements and attributes).

import { randomUUID } from 'node:crypto';

/** Mezha's deal power codes (docs/power-of-attorney.md, "Power codes"). */
export const DEAL_POWERS = {
  'MEZHA.DEAL.SIGN_DOCUMENTS': 'Подписывать документы сделки с недвижимым имуществом от имени организации',
  'MEZHA.DEAL.SIGN_STATEMENTS': 'Подписывать заявления о государственном кадастровом учёте и (или) государственной регистрации прав',
  'MEZHA.DEAL.SUBMIT_TO_REGISTRY': 'Представлять документы на государственную регистрацию прав в орган регистрации прав',
};

const DAY_MS = 24 * 3600 * 1000;
const MOSCOW_MS = 3 * 3600 * 1000;

/** `YYYY-MM-DD` of the Moscow date `days` from today (the МЧД's dates are Moscow dates). */
export function moscowDate(days = 0) {
  return new Date(Date.now() + MOSCOW_MS + days * DAY_MS).toISOString().slice(0, 10);
}

/** `12345678901` → `123-456-789 01`, the format's form. */
export function formatSnils(snils) {
  const d = String(snils).replace(/\D/g, '');
  return `${d.slice(0, 3)}-${d.slice(3, 6)}-${d.slice(6, 9)} ${d.slice(9, 11)}`;
}

/** `value` escaped for a double-quoted attribute. */
function escape(value) {
  return String(value).replace(/[&<>"'\n\r\t]/g, (c) => ({
    '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&apos;', '\n': '&#10;', '\r': '&#13;', '\t': '&#9;',
  })[c]);
}

/** ` name="value"` when there is a value. */
function attribute(name, value) {
  return value === undefined || value === null ? '' : ` ${name}="${escape(value)}"`;
}

/** A person element (`СвФЛ` or `СведФизЛ`) with the name split into its parts. */
function person(element, { fullName, snils, inn, position }, indent) {
  const [surname, name, ...rest] = fullName.split(/\s+/);
  const patronymic = rest.length ? rest.join(' ') : undefined;
  return `${indent}<${element}${attribute('ИННФЛ', inn)}${attribute('СНИЛС', snils && formatSnils(snils))}${attribute('Должность', position)}>\n`
    + `${indent}  <СведФЛ>\n`
    + `${indent}    <ФИО${attribute('Фамилия', surname)}${attribute('Имя', name)}${attribute('Отчество', patronymic)}/>\n`
    + `${indent}  </СведФЛ>\n`
    + `${indent}</${element}>\n`;
}

/**
 * An МЧД of `organisation` (`full_name`, `inn`, `kpp`, `ogrn`, `head_name`,
 * `head_position`) for `representative` (`fullName`, `snils`, optional
 * `inn`), signed for by `head` (optional `snils`), granting `powers` (codes;
 * every deal power by default). Issued 30 days ago, valid for a year, unless
 * `issuedOn`/`validUntil` (`YYYY-MM-DD`) say otherwise.
 * Returns `{ xml, number, internalNumber, issuedOn, validUntil }`.
 */
export function powerOfAttorneyXml({
  organisation,
  representative,
  head = {},
  powers = Object.keys(DEAL_POWERS),
  number = randomUUID(),
  internalNumber = `${Math.floor(Math.random() * 900) + 100}/${moscowDate().slice(0, 4)}`,
  issuedOn = moscowDate(-30),
  validUntil = moscowDate(-30 + 365),
}) {
  const fileId = `ON_EMCHD_${issuedOn.replace(/-/g, '')}_${number}`;
  const machinePowers = powers
    .map((code) => `        <МашПолн${attribute('КодПолн', code)}${attribute('НаимПолн', DEAL_POWERS[code] ?? `Полномочие ${code}`)}/>\n`)
    .join('');
  const headPerson = {
    fullName: organisation.head_name,
    position: organisation.head_position,
    ...head,
  };
  const xml = `<?xml version="1.0" encoding="UTF-8"?>
<Доверенность xmlns="urn://x-artefacts/EMCHD_1" ВерсФорм="EMCHD_1" ПрЭлФорм="00000000"${attribute('ИдФайл', fileId)}>
  <Документ>
    <Довер>
      <СвДов ВидДовер="1" ПрПередов="1"${attribute('ВнНомДовер', internalNumber)}${attribute('НомДовер', number)} ДатаВыдДовер="${issuedOn}" СрокДейст="${validUntil}">
        <СведСист>https://m4d.nalog.gov.ru/emchd/check-status?guid=${escape(number)}</СведСист>
      </СвДов>
      <СвДоверит ТипДоверит="1">
        <Доверит>
          <РосОргДовер ЕИОУК="0" ЕИОФЛ="1" ЕИОИП="0">
            <СвРосОрг${attribute('НаимОрг', organisation.full_name)}${attribute('ИННЮЛ', organisation.inn)}${attribute('КПП', organisation.kpp)}${attribute('ОГРН', organisation.ogrn)}/>
            <ЛицоБезДов ПолнЮЛ="1">
${person('СвФЛ', headPerson, '              ')}            </ЛицоБезДов>
          </РосОргДовер>
        </Доверит>
      </СвДоверит>
      <СвУпПред ТипПред="3">
        <Пред>
${person('СведФизЛ', { position: 'Специалист по сделкам', ...representative }, '          ')}        </Пред>
      </СвУпПред>
      <СвПолн ТипПолн="1" ПрСовмПолн="2">
${machinePowers}      </СвПолн>
    </Довер>
  </Документ>
</Доверенность>
`;
  return { xml, number, internalNumber, issuedOn, validUntil };
}
