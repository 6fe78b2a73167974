"""STARTTLS with AUTH (password from the environment) against aiosmtpd on loopback."""

import datetime as dt
import ipaddress
import ssl

import pytest
from aiosmtpd.smtp import AuthResult

from tests.digest.conftest import ADA, FAST, NOW, SECRET, Collector, make_settings
from tests.loopback import LoopbackSMTP
from tracker.digest import send_digests

x509 = pytest.importorskip("cryptography.x509")


def _self_signed(tmp_path):
    from cryptography.hazmat.primitives import hashes, serialization
    from cryptography.hazmat.primitives.asymmetric import ec
    from cryptography.x509.oid import NameOID

    key = ec.generate_private_key(ec.SECP256R1())
    name = x509.Name([x509.NameAttribute(NameOID.COMMON_NAME, "127.0.0.1")])
    now = dt.datetime.now(dt.UTC)
    cert = (x509.CertificateBuilder().subject_name(name).issuer_name(name).public_key(key.public_key())
            .serial_number(x509.random_serial_number()).not_valid_before(now - dt.timedelta(days=1))
            .not_valid_after(now + dt.timedelta(days=1))
            .add_extension(x509.SubjectAlternativeName([x509.IPAddress(ipaddress.ip_address("127.0.0.1"))]),
                           critical=False)
            .sign(key, hashes.SHA256()))
    cert_path, key_path = tmp_path / "cert.pem", tmp_path / "key.pem"
    cert_path.write_bytes(cert.public_bytes(serialization.Encoding.PEM))
    key_path.write_bytes(key.private_bytes(serialization.Encoding.PEM, serialization.PrivateFormat.PKCS8,
                                           serialization.NoEncryption()))
    return cert_path, key_path


@pytest.fixture
def tls_server(tmp_path):
    cert, key = _self_signed(tmp_path)
    server_ctx = ssl.create_default_context(ssl.Purpose.CLIENT_AUTH)
    server_ctx.load_cert_chain(cert, key)

    def authenticator(server, session, envelope, mechanism, auth_data):  # noqa: ANN001, ANN202
        ok = auth_data.login == b"tracker" and auth_data.password == b"s3cret"
        return AuthResult(success=ok, handled=False)

    handler = Collector()
    controller = LoopbackSMTP(handler, tls_context=server_ctx, require_starttls=True,
                              authenticator=authenticator, auth_require_tls=True)
    controller.start()
    yield controller, ssl.create_default_context(cafile=str(cert))
    controller.stop()


def _settings(tmp_path, port):
    settings = make_settings(tmp_path, port)
    settings.smtp.security = "starttls"
    settings.smtp.username = "tracker"
    return settings


def test_starttls_and_auth(engine, seeded, tmp_path, tls_server, monkeypatch):
    from tracker.digest.transports import SmtpTransport

    controller, client_ctx = tls_server
    monkeypatch.setenv("TRACKER_SMTP_PASSWORD", "s3cret")
    settings = _settings(tmp_path, controller.port)
    transport = SmtpTransport.from_settings(settings.smtp, ssl_context=client_ctx)
    report = send_digests(engine, settings, now=NOW, secret=SECRET, options=FAST, transport=transport)
    assert report.sent == 3 and len(controller.handler.to(ADA)) == 1


def test_wrong_password_stops_the_batch_without_failing_anyone(engine, seeded, tmp_path, tls_server,
                                                               monkeypatch):
    from tracker.digest.transports import SmtpTransport

    controller, client_ctx = tls_server
    monkeypatch.setenv("TRACKER_SMTP_PASSWORD", "wrong")
    settings = _settings(tmp_path, controller.port)
    transport = SmtpTransport.from_settings(settings.smtp, ssl_context=client_ctx)
    report = send_digests(engine, settings, now=NOW, secret=SECRET, options=FAST, transport=transport)
    assert report.sent == 0 and report.failed == 0 and report.aborted.startswith("535")
    assert controller.handler.messages == []


def test_untrusted_certificate_is_refused(engine, seeded, tmp_path, tls_server, monkeypatch):
    controller, _ = tls_server
    monkeypatch.setenv("TRACKER_SMTP_PASSWORD", "s3cret")
    report = send_digests(engine, _settings(tmp_path, controller.port), now=NOW, secret=SECRET, options=FAST)
    assert report.sent == 0 and "certificate" in report.aborted
