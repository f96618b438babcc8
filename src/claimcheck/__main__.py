from claimcheck.cli import main

raise SystemExit(main())
