// Command benchtool is the measuring side of bench/tiles.sh:
//
//	benchtool tilelist -geojson FILE -max 40 > tiles.txt   fixed tile list z0-z14
//	benchtool cold -base URL -list tiles.txt > cold.tsv     one sequential pass
//	benchtool report -dir RESULTS > report.md              markdown tables
//
// It has its own go.mod and no dependencies, so it never touches segmap's.
package main

import (
	"fmt"
	"os"
)

func main() {
	if len(os.Args) < 2 {
		fmt.Fprintln(os.Stderr, "usage: benchtool tilelist|cold|report [flags]")
		os.Exit(2)
	}
	var err error
	switch os.Args[1] {
	case "tilelist":
		err = runTileList(os.Args[2:])
	case "cold":
		err = runCold(os.Args[2:])
	case "report":
		err = runReport(os.Args[2:])
	default:
		err = fmt.Errorf("unknown command %q", os.Args[1])
	}
	if err != nil {
		fmt.Fprintf(os.Stderr, "benchtool %s: %v\n", os.Args[1], err)
		os.Exit(1)
	}
}
