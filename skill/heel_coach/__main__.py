from heel_coach.cli import main

raise SystemExit(main())
