// Command renderwise serves, exports and checks the Renderwise site.
package main

import (
	"context"
	"os"
	"os/signal"
	"syscall"

	"github.com/renderwise/renderwise/internal/cli"
)

func main() {
	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt, syscall.SIGTERM)
	err := cli.Run(ctx, os.Args[1:], os.Stdout, os.Stderr)
	stop()
	os.Exit(cli.ExitCode(err))
}
