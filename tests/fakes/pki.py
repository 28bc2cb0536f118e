"""A throwaway three-level PKI (root -> intermediate -> leaf) so TLS and Alexa-signature
code can be tested end to end without any real Amazon certificate or network.

Leaf certificates satisfy ``cryptography.x509.verification`` web-PKI policy (SKI/AKI,
basic constraints, key usage, server-auth EKU, SAN), so production verification code runs
unmodified against them.
"""

from __future__ import annotations

import base64
import ipaddress
import os
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

from cryptography import x509
from cryptography.hazmat.primitives import hashes, serialization
from cryptography.hazmat.primitives.asymmetric import padding, rsa
from cryptography.x509.oid import ExtendedKeyUsageOID, NameOID

__all__ = [
    "ALEXA_SIGNING_SAN",
    "IssuedCert",
    "TestPKI",
    "generate_key",
    "sign_alexa_request",
]

ALEXA_SIGNING_SAN = "echo-api.amazon.com"
"""The SAN Amazon's request-signing certificate carries (and verifiers require)."""

_KEY_SIZE = 2048  # the web-PKI policy rejects smaller RSA keys


def generate_key() -> rsa.RSAPrivateKey:
    """A fresh RSA key big enough for web-PKI policy and PKCS#1 v1.5 signing."""
    return rsa.generate_private_key(public_exponent=65537, key_size=_KEY_SIZE)


def sign_alexa_request(body: bytes, key: rsa.RSAPrivateKey) -> str:
    """The ``Signature-256`` header value Alexa would send: base64(SHA256withRSA(body))."""
    signature = key.sign(body, padding.PKCS1v15(), hashes.SHA256())
    return base64.b64encode(signature).decode("ascii")


def _pem(cert: x509.Certificate) -> bytes:
    return cert.public_bytes(serialization.Encoding.PEM)


@dataclass(frozen=True)
class IssuedCert:
    """A certificate with its private key; PEM forms are what servers and clients load."""

    cert: x509.Certificate
    key: rsa.RSAPrivateKey
    chain: tuple[x509.Certificate, ...] = field(default=())
    """Issuing intermediates (not the root), leaf-first order, for serving a full chain."""

    @property
    def cert_pem(self) -> bytes:
        return _pem(self.cert)

    @property
    def key_pem(self) -> bytes:
        return self.key.private_bytes(
            serialization.Encoding.PEM,
            serialization.PrivateFormat.TraditionalOpenSSL,
            serialization.NoEncryption(),
        )

    @property
    def chain_pem(self) -> bytes:
        """Leaf followed by its intermediates: the shape of Amazon's echo-api-cert.pem."""
        return self.cert_pem + b"".join(_pem(c) for c in self.chain)

    def write(self, directory: str | os.PathLike[str], stem: str) -> tuple[Path, Path]:
        """Write ``<stem>.chain.pem`` and ``<stem>.key.pem`` (for ssl.load_cert_chain)."""
        base = Path(directory)
        cert_path = base / f"{stem}.chain.pem"
        key_path = base / f"{stem}.key.pem"
        cert_path.write_bytes(self.chain_pem)
        key_path.write_bytes(self.key_pem)
        return cert_path, key_path


class TestPKI:
    """Root CA + intermediate CA, issuing leaves with chosen names, dates and usages.

    Keys are generated on construction (a few tens of ms each); build one per test module
    when many leaves are needed, or one per test when isolation matters more.
    """

    __test__ = False  # not a pytest test class despite the name

    def __init__(self, name: str = "Heel Coach Test", *, now: datetime | None = None) -> None:
        self.name = name
        self._now = now or datetime.now(UTC)
        start = self._now - timedelta(days=365)
        end = self._now + timedelta(days=3650)
        root_key = generate_key()
        root_name = _name(f"{name} Root CA")
        root_cert = (
            _base(root_name, root_name, root_key, start, end)
            .add_extension(x509.BasicConstraints(ca=True, path_length=None), critical=True)
            .add_extension(_ca_key_usage(), critical=True)
            .sign(root_key, hashes.SHA256())
        )
        self.root = IssuedCert(root_cert, root_key)
        inter_key = generate_key()
        inter_cert = (
            _base(_name(f"{name} Intermediate CA"), root_name, inter_key, start, end)
            .add_extension(x509.BasicConstraints(ca=True, path_length=0), critical=True)
            .add_extension(_ca_key_usage(), critical=True)
            .add_extension(_aki(root_key), critical=False)
            .sign(root_key, hashes.SHA256())
        )
        self.intermediate = IssuedCert(inter_cert, inter_key, (inter_cert,))

    @property
    def root_pem(self) -> bytes:
        return self.root.cert_pem

    def issue_leaf(
        self,
        dns_names: Sequence[str] = (),
        ip_addresses: Sequence[str] = (),
        *,
        not_before: datetime | None = None,
        not_after: datetime | None = None,
        valid_for: timedelta = timedelta(days=30),
        server_auth: bool = True,
        client_auth: bool = False,
        key: rsa.RSAPrivateKey | None = None,
        common_name: str | None = None,
    ) -> IssuedCert:
        """Issue a leaf signed by the intermediate.

        Defaults: valid from one hour ago for ``valid_for``; server-auth EKU; key usage
        digitalSignature + keyEncipherment. The returned ``chain`` holds the intermediate.
        """
        if not dns_names and not ip_addresses:
            raise ValueError("a leaf needs at least one DNS name or IP address")
        start = not_before or (self._now - timedelta(hours=1))
        end = not_after or (start + valid_for)
        leaf_key = key or generate_key()
        sans: list[x509.GeneralName] = [x509.DNSName(d) for d in dns_names]
        sans += [x509.IPAddress(ipaddress.ip_address(ip)) for ip in ip_addresses]
        cn = common_name or (dns_names[0] if dns_names else ip_addresses[0])
        builder = (
            _base(_name(cn), self.intermediate.cert.subject, leaf_key, start, end)
            .add_extension(x509.BasicConstraints(ca=False, path_length=None), critical=True)
            .add_extension(
                x509.KeyUsage(
                    digital_signature=True,
                    content_commitment=False,
                    key_encipherment=True,
                    data_encipherment=False,
                    key_agreement=False,
                    key_cert_sign=False,
                    crl_sign=False,
                    encipher_only=False,
                    decipher_only=False,
                ),
                critical=True,
            )
            .add_extension(x509.SubjectAlternativeName(sans), critical=False)
            .add_extension(_aki(self.intermediate.key), critical=False)
        )
        usages = _ekus(server_auth, client_auth)
        if usages:
            builder = builder.add_extension(x509.ExtendedKeyUsage(usages), critical=False)
        cert = builder.sign(self.intermediate.key, hashes.SHA256())
        return IssuedCert(cert, leaf_key, (self.intermediate.cert,))

    def issue_alexa_signing_cert(self, **kwargs: Any) -> IssuedCert:
        """A leaf shaped like Amazon's request-signing certificate (SAN echo-api.amazon.com)."""
        return self.issue_leaf([ALEXA_SIGNING_SAN], **kwargs)

    def write_ca_bundle(
        self,
        path: str | os.PathLike[str],
        *,
        extra_pems: Iterable[bytes] = (),
        include_certifi: bool = False,
    ) -> Path:
        """Write a PEM trust bundle with this root (plus extras / certifi's roots) and return it.

        Point REQUESTS_CA_BUNDLE or a trust-roots setting at the file.
        """
        parts = [self.root_pem, *extra_pems]
        if include_certifi:
            import certifi  # local: only needed for this option

            parts.append(Path(certifi.where()).read_bytes())
        target = Path(path)
        target.write_bytes(b"".join(p if p.endswith(b"\n") else p + b"\n" for p in parts))
        return target


def _name(common_name: str) -> x509.Name:
    return x509.Name(
        [
            x509.NameAttribute(NameOID.ORGANIZATION_NAME, "Heel Coach Tests"),
            x509.NameAttribute(NameOID.COMMON_NAME, common_name[:64]),
        ]
    )


def _base(
    subject: x509.Name,
    issuer: x509.Name,
    subject_key: rsa.RSAPrivateKey,
    not_before: datetime,
    not_after: datetime,
) -> x509.CertificateBuilder:
    return (
        x509.CertificateBuilder()
        .subject_name(subject)
        .issuer_name(issuer)
        .public_key(subject_key.public_key())
        .serial_number(x509.random_serial_number())
        .not_valid_before(not_before)
        .not_valid_after(not_after)
        .add_extension(x509.SubjectKeyIdentifier.from_public_key(subject_key.public_key()), critical=False)
    )


def _aki(issuer_key: rsa.RSAPrivateKey) -> x509.AuthorityKeyIdentifier:
    return x509.AuthorityKeyIdentifier.from_issuer_public_key(issuer_key.public_key())


def _ca_key_usage() -> x509.KeyUsage:
    return x509.KeyUsage(
        digital_signature=True,
        content_commitment=False,
        key_encipherment=False,
        data_encipherment=False,
        key_agreement=False,
        key_cert_sign=True,
        crl_sign=True,
        encipher_only=False,
        decipher_only=False,
    )


def _ekus(server_auth: bool, client_auth: bool) -> list[x509.ObjectIdentifier]:
    usages = []
    if server_auth:
        usages.append(ExtendedKeyUsageOID.SERVER_AUTH)
    if client_auth:
        usages.append(ExtendedKeyUsageOID.CLIENT_AUTH)
    return usages
