// A TLS listener configured the way Mattermost configures its own (ServiceSettings.
// ConnectionSecurity = "TLS"; see server/channels/app/server.go in mattermost/mattermost):
// PreferServerCipherSuites, curves P-521/P-384/P-256, MinVersion from TLSMinVer (default
// TLS 1.2) and Mattermost's default TLS 1.2 cipher list unless -ciphers overrides it.
// Standard library only. Written for safeguard's tests; prints "LISTENING <port>" once
// it accepts connections, then serves a tiny HTTP handler until killed.
package main

import (
	"crypto/tls"
	"flag"
	"fmt"
	"net"
	"net/http"
	"os"
	"strings"
)

func main() {
	addr := flag.String("addr", "127.0.0.1:0", "listen address")
	cert := flag.String("cert", "", "certificate PEM")
	key := flag.String("key", "", "key PEM")
	minVer := flag.String("min", "1.2", "TLSMinVer: 1.0, 1.1 or 1.2")
	ciphers := flag.String("ciphers", "", "comma-separated Go cipher suite names (TLSOverwriteCiphers)")
	flag.Parse()

	config := &tls.Config{
		PreferServerCipherSuites: true,
		CurvePreferences:         []tls.CurveID{tls.CurveP521, tls.CurveP384, tls.CurveP256},
	}
	switch *minVer {
	case "1.0":
		config.MinVersion = tls.VersionTLS10
	case "1.1":
		config.MinVersion = tls.VersionTLS11
	default:
		config.MinVersion = tls.VersionTLS12
	}
	defaults := []uint16{
		tls.TLS_ECDHE_ECDSA_WITH_AES_128_GCM_SHA256,
		tls.TLS_ECDHE_ECDSA_WITH_AES_256_GCM_SHA384,
		tls.TLS_ECDHE_RSA_WITH_AES_128_GCM_SHA256,
		tls.TLS_ECDHE_RSA_WITH_AES_256_GCM_SHA384,
		tls.TLS_RSA_WITH_AES_128_GCM_SHA256,
		tls.TLS_RSA_WITH_AES_256_GCM_SHA384,
	}
	config.CipherSuites = defaults
	if *ciphers != "" {
		byName := map[string]uint16{}
		for _, s := range tls.CipherSuites() {
			byName[s.Name] = s.ID
		}
		for _, s := range tls.InsecureCipherSuites() {
			byName[s.Name] = s.ID
		}
		var chosen []uint16
		for _, name := range strings.Split(*ciphers, ",") {
			if id, ok := byName[strings.TrimSpace(name)]; ok {
				chosen = append(chosen, id)
			}
		}
		if len(chosen) > 0 {
			config.CipherSuites = chosen
		}
	}

	listener, err := net.Listen("tcp", *addr)
	if err != nil {
		fmt.Fprintln(os.Stderr, err)
		os.Exit(1)
	}
	server := &http.Server{
		TLSConfig: config,
		Handler: http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
			w.Write([]byte("ok\n"))
		}),
	}
	fmt.Printf("LISTENING %d\n", listener.Addr().(*net.TCPAddr).Port)
	os.Stdout.Sync()
	if err := server.ServeTLS(listener, *cert, *key); err != nil {
		fmt.Fprintln(os.Stderr, err)
		os.Exit(1)
	}
}
