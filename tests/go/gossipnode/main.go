// gossipnode: one hashicorp/memberlist node on 127.0.0.1, as a Mattermost HA node
// gossips, for the gossip probe's tests. Built by the tests with Debian's golang-go and
// golang-github-hashicorp-memberlist-dev (GOPATH=/usr/share/gocode, GO111MODULE=off).
//
// Flags: -key HEX (a 16/24/32-byte gossip key: memberlist encrypts every message and,
// with GossipVerifyIncoming, refuses plaintext ones), -compress (memberlist's
// EnableCompression; Mattermost's EnableGossipCompression defaults to true),
// -verify-outgoing=false (memberlist's GossipVerifyOutgoing: with a key, the node then
// refuses a plaintext stream with a plaintext error instead of an encrypted one).
// Prints "LISTENING <port>" once the node listens, then runs until killed.
package main

import (
	"encoding/hex"
	"flag"
	"fmt"
	"io"
	"os"

	"github.com/hashicorp/memberlist"
)

func main() {
	key := flag.String("key", "", "gossip encryption key, hex")
	compress := flag.Bool("compress", true, "compress gossip messages")
	verifyOutgoing := flag.Bool("verify-outgoing", true, "encrypt outgoing messages when keyed")
	flag.Parse()

	cfg := memberlist.DefaultLANConfig()
	cfg.Name = "gossipnode"
	cfg.BindAddr = "127.0.0.1"
	cfg.AdvertiseAddr = "127.0.0.1"
	cfg.BindPort = 0 // the transport picks a free port, TCP and UDP alike
	cfg.AdvertisePort = 0
	cfg.EnableCompression = *compress
	cfg.GossipVerifyOutgoing = *verifyOutgoing
	cfg.LogOutput = io.Discard
	if *key != "" {
		k, err := hex.DecodeString(*key)
		if err != nil {
			fmt.Fprintln(os.Stderr, "bad -key:", err)
			os.Exit(2)
		}
		cfg.SecretKey = k
	}

	list, err := memberlist.Create(cfg)
	if err != nil {
		fmt.Fprintln(os.Stderr, "memberlist:", err)
		os.Exit(1)
	}
	fmt.Printf("LISTENING %d\n", list.LocalNode().Port)
	select {}
}
