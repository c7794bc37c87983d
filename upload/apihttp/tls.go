package apihttp

import (
	"crypto/tls"
	"crypto/x509"
	"errors"
	"strings"
)

// proxyNote ends every TLS message: where the trust and the proxy come from.
const proxyNote = "; proxies are taken from HTTPS_PROXY and NO_PROXY"

// tlsCause names a TLS failure and what fixes it ("" when err is not one).
// Such a failure is the same on every request, so it is not retried.
func tlsCause(err error) string {
	var unknown x509.UnknownAuthorityError
	var invalid x509.CertificateInvalidError
	var host x509.HostnameError
	var record tls.RecordHeaderError
	var verify *tls.CertificateVerificationError
	switch {
	case errors.As(err, &unknown):
		return "TLS: certificate signed by an unknown authority (a proxy or server this machine does not trust): set SSL_CERT_FILE to your company's CA bundle" + proxyNote
	case errors.As(err, &host):
		return "TLS: the server's certificate is for another host (" + host.Host + " is not in it): check base_url, or a proxy that intercepts HTTPS" + proxyNote
	case errors.As(err, &invalid):
		if invalid.Reason == x509.Expired {
			return "TLS: the server's certificate has expired or is not valid yet (check this machine's clock)" + proxyNote
		}
		return "TLS: the server's certificate is not valid: " + invalid.Error() + proxyNote
	case errors.As(err, &record), strings.Contains(err.Error(), "server gave HTTP response to HTTPS client"):
		return "TLS: the server did not answer in TLS (is base_url https:// on a port that speaks plain http?)" + proxyNote
	case errors.As(err, &verify):
		return "TLS: the server's certificate could not be verified: " + verify.Err.Error() + ": set SSL_CERT_FILE to your company's CA bundle if a proxy inspects HTTPS" + proxyNote
	}
	if strings.Contains(err.Error(), "tls: ") {
		return "TLS handshake failed: " + stripURL(err).Error() + proxyNote
	}
	return ""
}
