"""Entry script for the bundled application: the same `tinystudio` command as the installed package.

`--model-trial` (internal) runs the child process that tries a model before the app loads it;
`--tune-trial` (internal) runs one trial of the tune search in its worker process.
"""

import sys

if __name__ == "__main__":
    if sys.argv[1:2] == ["--model-trial"]:
        from tinystudio.core.model_trial import child_main

        sys.exit(child_main(sys.argv[2:]))
    if sys.argv[1:2] == ["--tune-trial"]:
        from tinystudio.core.search.trial import main as trial_main

        sys.exit(trial_main())
    from tinystudio.cli.main import main

    sys.exit(main())
