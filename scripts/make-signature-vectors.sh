#!/usr/bin/env bash
# Regenerates the signature test vectors of backend/signatures with OpenSSL
# (and its GOST engine), never with our own code: keys, a root CA and an
# intermediate per algorithm family, leaf certificates for every case the
# validator reports (valid, expired, not yet valid, revoked + CRL, without
# digitalSignature, from an unknown CA), detached CMS signatures (DER and PEM,
# with signingTime), a tampered document and garbage signatures.
#
#   bash scripts/make-signature-vectors.sh
#
# Idempotent: it wipes and rewrites backend/signatures/tests/vectors/ (keys are
# fresh each run, so the bytes change; the layout and the cases do not). Tests
# read the committed files and never need openssl. Installs
# libengine-gost-openssl with apt-get when the engine is missing.
#
# Layout of tests/vectors/:
#   doc.txt, doc-tampered.txt          the signed document and a one-byte change
#   garbage-*.{der,pem}                not signatures (random, truncated, a cert)
#   <family>/root.pem                  the trust anchor of that family
#   <family>/inter.pem                 the intermediate CA (issues the leaves)
#   <family>/inter.crl, root.crl       CRLs (DER); inter.crl lists "revoked"
#   <family>/unknown-root.pem          a CA nobody trusts (for reference only)
#   <family>/<case>.der                detached CMS over doc.txt, case is one of
#       valid (intermediate included), valid.pem (PEM, intermediate NOT included),
#       expired, notyet, revoked, noku, unknownca
#   <family>/contract-engineer.der     detached CMS over the PDF/A contract
#   <family>/contract-customer.der     backend/server/tests/fixtures/contract-pdfa.pdf
#       (committed, not made here): by the "valid" leaf (SNILS 11223344595) and
#       by a customer leaf with only INN 770123456703 (full families only)
# "Light" families (other GOST parameter sets) get root, inter, valid.der and
# valid.pem only, to keep the committed size small.
set -euo pipefail

ROOT_DIR=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
OUT="$ROOT_DIR/backend/signatures/tests/vectors"
ENGINE=/usr/lib/x86_64-linux-gnu/engines-3/gost.so

if [[ ! -f $ENGINE ]]; then
  echo "make-signature-vectors: installing libengine-gost-openssl (apt-get)"
  SUDO=$([[ $(id -u) -eq 0 ]] && echo "" || echo "sudo")
  $SUDO apt-get install -y libengine-gost-openssl >/dev/null
fi

WORK=$(mktemp -d)
trap 'rm -rf "$WORK"' EXIT

export OPENSSL_CONF="$WORK/openssl-gost.cnf"
cat >"$OPENSSL_CONF" <<EOF
openssl_conf = openssl_def
[openssl_def]
engines = engine_section
[engine_section]
gost = gost_section
[gost_section]
engine_id = gost
dynamic_path = $ENGINE
default_algorithms = ALL
EOF

# `openssl ca` settings shared by every CA; CADIR and CA_MD select the CA.
CA_CNF="$WORK/ca.cnf"
cat >"$CA_CNF" <<'EOF'
# OpenSSL 3.0 knows SNILS and INN but not INNLE (INN of a legal entity)
oid_section = new_oids
[ new_oids ]
INNLE = 1.2.643.100.4
[ ca ]
default_ca = CA_default
[ CA_default ]
dir = $ENV::CADIR
database = $dir/index.txt
serial = $dir/serial
crlnumber = $dir/crlnumber
new_certs_dir = $dir/newcerts
certificate = $dir/ca.pem
private_key = $dir/ca.key
default_md = $ENV::CA_MD
default_crl_days = 27000
policy = policy_any
unique_subject = no
email_in_dn = no
preserve = yes
utf8 = yes
string_mask = utf8only
[ policy_any ]
countryName = optional
organizationName = optional
commonName = supplied
SNILS = optional
INN = optional
INNLE = optional
OGRN = optional
[ v3_root ]
basicConstraints = critical, CA:true
keyUsage = critical, keyCertSign, cRLSign
subjectKeyIdentifier = hash
[ v3_inter ]
basicConstraints = critical, CA:true, pathlen:0
keyUsage = critical, keyCertSign, cRLSign
subjectKeyIdentifier = hash
authorityKeyIdentifier = keyid:always
[ v3_leaf ]
basicConstraints = CA:false
keyUsage = critical, digitalSignature, nonRepudiation
subjectKeyIdentifier = hash
authorityKeyIdentifier = keyid:always
[ v3_noku ]
basicConstraints = CA:false
keyUsage = critical, dataEncipherment
subjectKeyIdentifier = hash
authorityKeyIdentifier = keyid:always
EOF

REQ_CNF="$WORK/req.cnf"
cat >"$REQ_CNF" <<'EOF'
oid_section = new_oids
[ new_oids ]
INNLE = 1.2.643.100.4
[ req ]
distinguished_name = dn
utf8 = yes
string_mask = utf8only
[ dn ]
EOF

rm -rf "$OUT"
mkdir -p "$OUT"
printf 'Договор подряда на кадастровые работы № 17\nЦена: 25 000 руб.\n' >"$OUT/doc.txt"
printf 'Договор подряда на кадастровые работы № 17\nЦена: 95 000 руб.\n' >"$OUT/doc-tampered.txt"

# genkey <family> <out.key>
genkey() {
  case $1 in
    p256) openssl genpkey -algorithm EC -pkeyopt ec_paramgen_curve:P-256 -out "$2" ;;
    p384) openssl genpkey -algorithm EC -pkeyopt ec_paramgen_curve:P-384 -out "$2" ;;
    rsa-pkcs1 | rsa-pss) openssl genpkey -algorithm RSA -pkeyopt rsa_keygen_bits:2048 -out "$2" 2>/dev/null ;;
    gost256-*) openssl genpkey -algorithm gost2012_256 -pkeyopt "paramset:${1#gost256-}" -out "$2" ;;
    gost512-*) openssl genpkey -algorithm gost2012_512 -pkeyopt "paramset:${1#gost512-}" -out "$2" ;;
  esac
}

# Per family: the digest CAs sign with, the CMS digest, extra signing options.
ca_md() {
  case $1 in
    p256) echo sha256 ;; p384) echo sha384 ;; rsa-pkcs1) echo sha512 ;; rsa-pss) echo sha256 ;;
    gost256-*) echo md_gost12_256 ;; gost512-*) echo md_gost12_512 ;;
  esac
}
cms_md() {
  case $1 in
    p256) echo sha256 ;; p384) echo sha384 ;; rsa-pkcs1) echo sha256 ;; rsa-pss) echo sha384 ;;
    gost256-*) echo md_gost12_256 ;; gost512-*) echo md_gost12_512 ;;
  esac
}
ca_sigopts() {
  [[ $1 == rsa-pss ]] && echo "-sigopt rsa_padding_mode:pss -sigopt rsa_pss_saltlen:digest" || true
}
cms_keyopts() {
  [[ $1 == rsa-pss ]] && echo "-keyopt rsa_padding_mode:pss" || true
}

# newca <dir> <family>: an empty `openssl ca` directory
newca() {
  mkdir -p "$1/newcerts"
  : >"$1/index.txt"
  echo 1000 >"$1/serial"
  echo 01 >"$1/crlnumber"
}

# issue <cadir> <family> <key> <subject> <extensions> <start> <end> <out.pem>
issue() {
  local cadir=$1 fam=$2 key=$3 subj=$4 ext=$5 start=$6 end=$7 out=$8
  openssl req -new -config "$REQ_CNF" -utf8 -key "$key" -subj "$subj" -out "$WORK/req.csr"
  # shellcheck disable=SC2046
  CADIR=$cadir CA_MD=$(ca_md "$fam") openssl ca -batch -config "$CA_CNF" -notext \
    -extensions "$ext" -startdate "$start" -enddate "$end" $(ca_sigopts "$fam") \
    -in "$WORK/req.csr" -out "$out" 2>"$WORK/ca.log" || { cat "$WORK/ca.log"; exit 1; }
}

# selfsigned <cadir> <family> <cn>: root key + self-signed certificate in cadir
selfsigned() {
  local cadir=$1 fam=$2 cn=$3
  newca "$cadir"
  genkey "$fam" "$cadir/ca.key"
  openssl req -new -config "$REQ_CNF" -utf8 -key "$cadir/ca.key" -subj "/C=RU/O=Mezha Test/CN=$cn" \
    -out "$WORK/req.csr"
  # shellcheck disable=SC2046
  CADIR=$cadir CA_MD=$(ca_md "$fam") openssl ca -batch -config "$CA_CNF" -notext -selfsign \
    -keyfile "$cadir/ca.key" -extensions v3_root -startdate 20250101000000Z -enddate 20991231235959Z \
    $(ca_sigopts "$fam") -in "$WORK/req.csr" -out "$cadir/ca.pem" 2>"$WORK/ca.log" || { cat "$WORK/ca.log"; exit 1; }
}

# sign <family> <cert> <key> <out> <DER|PEM> [certfile] (over doc.txt, or $DOC)
sign() {
  local fam=$1 cert=$2 key=$3 out=$4 form=$5 extra=()
  [[ $# -ge 6 ]] && extra=(-certfile "$6")
  # shellcheck disable=SC2046
  openssl cms -sign -binary -nosmimecap -md "$(cms_md "$fam")" \
    -signer "$cert" -inkey "$key" $(cms_keyopts "$fam") -in "${DOC:-$OUT/doc.txt}" -outform "$form" -out "$out" "${extra[@]}"
}

# The contract the API tests upload as a PDF/A file and sign as both parties.
CONTRACT="$ROOT_DIR/backend/server/tests/fixtures/contract-pdfa.pdf"

LONG_START=20250101000000Z
LONG_END=20991231235959Z

family() {
  local fam=$1 mode=$2 dir="$WORK/$1" out="$OUT/$1"
  mkdir -p "$dir" "$out"
  selfsigned "$dir/root" "$fam" "Mezha Test Root $fam"
  newca "$dir/inter"
  genkey "$fam" "$dir/inter/ca.key"
  issue "$dir/root" "$fam" "$dir/inter/ca.key" "/C=RU/O=Mezha Test/CN=Mezha Test Issuing CA $fam" \
    v3_inter "$LONG_START" "$LONG_END" "$dir/inter/ca.pem"
  cp "$dir/root/ca.pem" "$out/root.pem"
  cp "$dir/inter/ca.pem" "$out/inter.pem"

  # valid: SNILS and INN in the subject, a Cyrillic CN
  genkey "$fam" "$dir/valid.key"
  issue "$dir/inter" "$fam" "$dir/valid.key" \
    "/C=RU/CN=Иванов Иван Иванович/SNILS=11223344595/INN=500100732259" \
    v3_leaf "$LONG_START" "$LONG_END" "$dir/valid.pem"
  sign "$fam" "$dir/valid.pem" "$dir/valid.key" "$out/valid.der" DER "$dir/inter/ca.pem"
  sign "$fam" "$dir/valid.pem" "$dir/valid.key" "$out/valid.pem" PEM
  # OpenSSL itself accepts what it made (sanity check of the generator).
  openssl cms -verify -binary -inform DER -in "$out/valid.der" -content "$OUT/doc.txt" \
    -CAfile "$out/root.pem" -purpose any -out /dev/null 2>/dev/null

  if [[ $mode == light ]]; then return; fi

  # The PDF/A contract: the engineer with the valid leaf, the customer with
  # a leaf naming only her INN.
  genkey "$fam" "$dir/customer.key"
  issue "$dir/inter" "$fam" "$dir/customer.key" "/C=RU/CN=Заказчикова Анна Петровна/INN=770123456703" \
    v3_leaf "$LONG_START" "$LONG_END" "$dir/customer.pem"
  DOC=$CONTRACT sign "$fam" "$dir/valid.pem" "$dir/valid.key" "$out/contract-engineer.der" DER "$dir/inter/ca.pem"
  DOC=$CONTRACT sign "$fam" "$dir/customer.pem" "$dir/customer.key" "$out/contract-customer.der" DER "$dir/inter/ca.pem"

  genkey "$fam" "$dir/leaf.key"   # one key for the remaining leaves
  issue "$dir/inter" "$fam" "$dir/leaf.key" "/C=RU/CN=Expired Signer/INNLE=7707083893" \
    v3_leaf 20200101000000Z 20210101000000Z "$dir/expired.pem"
  issue "$dir/inter" "$fam" "$dir/leaf.key" "/C=RU/CN=Future Signer" \
    v3_leaf 20900101000000Z "$LONG_END" "$dir/notyet.pem"
  issue "$dir/inter" "$fam" "$dir/leaf.key" "/C=RU/CN=Revoked Signer/SNILS=98765432100" \
    v3_leaf "$LONG_START" "$LONG_END" "$dir/revoked.pem"
  issue "$dir/inter" "$fam" "$dir/leaf.key" "/C=RU/CN=Encipherment Only" \
    v3_noku "$LONG_START" "$LONG_END" "$dir/noku.pem"

  # revoke before signing, so the revocation time is at or before signingTime
  CADIR="$dir/inter" CA_MD=$(ca_md "$fam") openssl ca -batch -config "$CA_CNF" \
    -revoke "$dir/revoked.pem" -crl_reason keyCompromise 2>/dev/null
  # shellcheck disable=SC2046
  CADIR="$dir/inter" CA_MD=$(ca_md "$fam") openssl ca -batch -config "$CA_CNF" -gencrl \
    $(ca_sigopts "$fam") -out "$WORK/inter.crl" 2>/dev/null
  openssl crl -in "$WORK/inter.crl" -outform DER -out "$out/inter.crl"
  # shellcheck disable=SC2046
  CADIR="$dir/root" CA_MD=$(ca_md "$fam") openssl ca -batch -config "$CA_CNF" -gencrl \
    $(ca_sigopts "$fam") -out "$out/root.crl" 2>/dev/null   # PEM on purpose
  sleep 1

  for c in expired notyet revoked noku; do
    sign "$fam" "$dir/$c.pem" "$dir/leaf.key" "$out/$c.der" DER "$dir/inter/ca.pem"
  done

  selfsigned "$dir/unknown" "$fam" "Unknown Root $fam"
  cp "$dir/unknown/ca.pem" "$out/unknown-root.pem"
  issue "$dir/unknown" "$fam" "$dir/leaf.key" "/C=RU/CN=Stranger/SNILS=11223344595" \
    v3_leaf "$LONG_START" "$LONG_END" "$dir/unknownca.pem"
  sign "$fam" "$dir/unknownca.pem" "$dir/leaf.key" "$out/unknownca.der" DER
}

for fam in p256 p384 rsa-pkcs1 rsa-pss gost256-TCA gost256-A gost256-B gost512-A gost512-B gost512-C; do
  echo "make-signature-vectors: $fam"
  family "$fam" full
done
for fam in gost256-TCB gost256-TCC gost256-TCD gost256-C gost256-XA gost256-XB; do
  echo "make-signature-vectors: $fam (light)"
  family "$fam" light
done

# Garbage: random bytes, a truncated signature, a certificate where a signature
# should be, a PEM with a broken body, an empty file.
head -c 700 /dev/urandom >"$OUT/garbage-random.der"
head -c 300 "$OUT/p256/valid.der" >"$OUT/garbage-truncated.der"
openssl x509 -in "$OUT/p256/root.pem" -outform DER -out "$OUT/garbage-cert.der"
printf -- '-----BEGIN CMS-----\nMIIB!!notbase64\n-----END CMS-----\n' >"$OUT/garbage-broken.pem"
: >"$OUT/garbage-empty.der"

du -sh "$OUT"
echo "make-signature-vectors: done ($OUT)"
