package m365

import (
	"context"
	"crypto"
	"crypto/rand"
	"crypto/rsa"
	"crypto/sha1" //nolint:gosec // x5t is defined as the SHA-1 thumbprint; not used for security here
	"crypto/sha256"
	"crypto/x509"
	"encoding/base64"
	"encoding/hex"
	"encoding/json"
	"encoding/pem"
	"errors"
	"fmt"
	"net/url"
	"os"
	"strings"
	"time"

	"golang.org/x/oauth2"
	"golang.org/x/oauth2/clientcredentials"

	"headshot/upload"
	"headshot/upload/oauthtoken"
)

// newTokens is the app-only token cache: the client credentials grant
// with the secret, or with a fresh certificate assertion per request.
func newTokens(c *Client, cert *certificate) *oauthtoken.Cache {
	fetch := func(ctx context.Context) (*oauth2.Token, error) {
		cc := clientcredentials.Config{
			ClientID:     c.cfg.ClientID,
			ClientSecret: string(c.cfg.ClientSecret),
			TokenURL:     c.cfg.TokenURL,
			Scopes:       []string{Scope},
			AuthStyle:    oauth2.AuthStyleInParams,
		}
		if cert != nil {
			assertion, err := cert.assertion(c.cfg.ClientID, c.cfg.TokenURL, time.Now())
			if err != nil {
				return nil, err
			}
			cc.EndpointParams = url.Values{
				"client_assertion_type": {"urn:ietf:params:oauth:client-assertion-type:jwt-bearer"},
				"client_assertion":      {assertion},
			}
		}
		return cc.Token(ctx)
	}
	return oauthtoken.New(fetch, c.HTTP(), c.cfg.Timeout, c.cfg.TokenMargin)
}

// token returns a valid access token (see oauthtoken.Cache.Get).
func (c *Client) token(ctx context.Context, stale string) (string, error) {
	tok, err := c.tokens.Get(ctx, stale)
	if err != nil {
		return "", oauthtoken.Classify(ctx, Platform, err, c.tokenRefused)
	}
	return tok, nil
}

// tokenRefused words the identity platform's refusal, without any
// credential the answer may echo.
func (c *Client) tokenRefused(r oauthtoken.Refusal) *upload.Error {
	words := c.redact(r.Words)
	if r.Code == "" && words == "" {
		var ae graphError
		if json.Unmarshal(r.Body, &ae) == nil && ae.Error.Message != "" {
			words = c.redact(upload.CleanMessage(ae.Error.Message, 300))
		}
	}
	e := &upload.Error{Platform: Platform, Class: upload.ClassForStatus(r.Status), Status: r.Status, Code: r.Code}
	if throttled, wait := r.Throttled(); throttled {
		e.Class, e.RetryAfter, e.Message = upload.ClassThrottled, wait, "token requests throttled"
	} else {
		switch {
		case r.Status >= 500:
			e.Message = "token endpoint failed"
		case r.Code == "" && words == "":
			e.Class = upload.ClassServer
			e.Message = "unexpected answer from token_url (want the identity platform's JSON; check token_url and tenant_id)"
		default:
			e.Class = upload.ClassAuth
			e.Message = "token refused: " + tokenHint(r.Code, words)
		}
	}
	if words != "" {
		e.Message += " (Microsoft says: " + words + ")"
	}
	return e
}

// tokenHint names the setting an identity-platform error points at. The
// AADSTS numbers are the documented Entra error codes.
func tokenHint(code, words string) string {
	switch {
	case strings.Contains(words, "AADSTS90002") || strings.Contains(words, "AADSTS900023") || strings.Contains(words, "Tenant"):
		return "check tenant_id"
	case strings.Contains(words, "AADSTS700016") || strings.Contains(words, "AADSTS700027") || code == "unauthorized_client":
		return "check client_id (and, with a certificate, that it is uploaded to the app registration)"
	case strings.Contains(words, "AADSTS7000215") || strings.Contains(words, "AADSTS7000222") || code == "invalid_client":
		return "check client_secret (it may have expired) or the certificate"
	}
	return "check tenant_id, client_id and client_secret or certificate_file"
}

// certificate is the app's certificate and key for client assertions.
type certificate struct {
	key        *rsa.PrivateKey
	thumbSHA1  string // x5t
	thumbSHA2  string // x5t#S256
	thumbPrint string // hex SHA-1, as the Entra admin center shows it
}

// loadCertificate reads a PEM file with one CERTIFICATE and its RSA
// PRIVATE KEY (PKCS#1 or PKCS#8). Errors name the file's problem, never
// its contents.
func loadCertificate(path string) (*certificate, error) {
	b, err := os.ReadFile(path)
	if err != nil {
		why := err
		if u := errors.Unwrap(err); u != nil {
			why = u // the path error without the path
		}
		return nil, fmt.Errorf("m365: certificate_file: cannot read it (%s)", upload.CleanMessage(why.Error(), 80))
	}
	var der []byte
	var key any
	for {
		var blk *pem.Block
		blk, b = pem.Decode(b)
		if blk == nil {
			break
		}
		switch blk.Type {
		case "CERTIFICATE":
			if der == nil {
				der = blk.Bytes
			}
		case "RSA PRIVATE KEY":
			key, err = x509.ParsePKCS1PrivateKey(blk.Bytes)
		case "PRIVATE KEY":
			key, err = x509.ParsePKCS8PrivateKey(blk.Bytes)
		}
		if err != nil {
			return nil, fmt.Errorf("m365: certificate_file: the private key cannot be read")
		}
	}
	if der == nil || key == nil {
		return nil, fmt.Errorf("m365: certificate_file must hold the certificate and its private key in PEM (BEGIN CERTIFICATE, BEGIN PRIVATE KEY)")
	}
	cert, err := x509.ParseCertificate(der)
	if err != nil {
		return nil, fmt.Errorf("m365: certificate_file: the certificate cannot be read")
	}
	rk, ok := key.(*rsa.PrivateKey)
	if !ok {
		return nil, fmt.Errorf("m365: certificate_file: the key must be RSA (Microsoft Entra client assertions are RS256)")
	}
	if pub, ok := cert.PublicKey.(*rsa.PublicKey); !ok || !pub.Equal(&rk.PublicKey) {
		return nil, fmt.Errorf("m365: certificate_file: the private key does not belong to the certificate")
	}
	s1 := sha1.Sum(der) //nolint:gosec // thumbprint, as documented
	s2 := sha256.Sum256(der)
	return &certificate{key: rk, thumbSHA1: base64.RawURLEncoding.EncodeToString(s1[:]),
		thumbSHA2: base64.RawURLEncoding.EncodeToString(s2[:]), thumbPrint: strings.ToUpper(hex.EncodeToString(s1[:]))}, nil
}

// assertion is the signed JWT the identity platform takes instead of a
// client secret: RS256, x5t of the certificate, aud the token endpoint,
// iss and sub the client id, valid for ten minutes.
func (c *certificate) assertion(clientID, aud string, now time.Time) (string, error) {
	jti := make([]byte, 16)
	if _, err := rand.Read(jti); err != nil {
		return "", &upload.Error{Platform: Platform, Class: upload.ClassAuth, Local: true, Message: "cannot make a client assertion id"}
	}
	head, _ := json.Marshal(map[string]string{"alg": "RS256", "typ": "JWT", "x5t": c.thumbSHA1, "x5t#S256": c.thumbSHA2})
	claims, _ := json.Marshal(map[string]any{
		"aud": aud, "iss": clientID, "sub": clientID, "jti": hex.EncodeToString(jti),
		"nbf": now.Unix(), "iat": now.Unix(), "exp": now.Add(10 * time.Minute).Unix(),
	})
	signing := base64.RawURLEncoding.EncodeToString(head) + "." + base64.RawURLEncoding.EncodeToString(claims)
	sum := sha256.Sum256([]byte(signing))
	sig, err := rsa.SignPKCS1v15(rand.Reader, c.key, crypto.SHA256, sum[:])
	if err != nil {
		return "", &upload.Error{Platform: Platform, Class: upload.ClassAuth, Local: true, Message: "cannot sign the client assertion with certificate_file's key"}
	}
	return signing + "." + base64.RawURLEncoding.EncodeToString(sig), nil
}
