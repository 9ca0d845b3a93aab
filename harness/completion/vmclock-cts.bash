# shellcheck shell=bash
# vmclock-cts.bash - bash completion for vmclock-cts, installed to
# share/bash-completion/completions/vmclock-cts (bash-completion loads it on
# the first <TAB> after "vmclock-cts"; or source it by hand).
#
# Completes subcommands, options, file names for READER.so, --json and
# --junit, and clause ids after --only, asked of the very vmclock-cts being
# completed (list-clauses) so that they always match what it accepts.
# Written against plain bash (no bash-completion helpers), so that sourcing
# it by hand works too.
#
# SPDX-License-Identifier: MIT

_vmclock_cts() {
	local cur=${COMP_WORDS[COMP_CWORD]} prev="" sub=${COMP_WORDS[1]:-}
	[ "$COMP_CWORD" -lt 1 ] || prev=${COMP_WORDS[COMP_CWORD - 1]}
	# "--only=R-SE": bash splits at "=" (COMP_WORDBREAKS), giving the words
	# "--only" "=" "R-SE"; treat it as "--only R-SE"
	if [ "$cur" = "=" ]; then
		prev=${COMP_WORDS[COMP_CWORD - 1]}
		cur=""
	elif [ "$prev" = "=" ] && [ "$COMP_CWORD" -ge 2 ]; then
		prev=${COMP_WORDS[COMP_CWORD - 2]}
	fi
	COMPREPLY=()

	if [ "$COMP_CWORD" -eq 1 ]; then
		mapfile -t COMPREPLY < <(compgen -W "check replay build-reader list-clauses --version --help" -- "$cur")
		return 0
	fi

	case $sub in
	check | replay) ;;
	list-clauses)
		mapfile -t COMPREPLY < <(compgen -W "--json --markdown --help" -- "$cur")
		return 0
		;;
	build-reader)
		# C sources, the -o file, or anything after -- (compiler arguments)
		compopt -o filenames 2>/dev/null || true
		if [[ $cur == -* ]]; then
			mapfile -t COMPREPLY < <(compgen -W "-o -- --help" -- "$cur")
		else
			mapfile -t COMPREPLY < <(compgen -f -- "$cur")
		fi
		return 0
		;;
	*) return 0 ;;
	esac

	case $prev in
	--json | --junit)
		compopt -o filenames 2>/dev/null || true # outside a completion (a test) it fails
		mapfile -t COMPREPLY < <(compgen -f -- "$cur")
		return 0
		;;
	--only)
		# the front door's own list (its runner, its build): never a stale
		# copy of the catalogue
		local ids
		ids=$("${COMP_WORDS[0]}" list-clauses 2>/dev/null | awk 'NF { print $1 }')
		mapfile -t COMPREPLY < <(compgen -W "$ids" -- "$cur")
		return 0
		;;
	--seed | --case | --timeout-ms | --budget-s | --stress-ms | -j | --jobs)
		return 0 # a number: nothing to offer
		;;
	esac

	if [[ $cur == -* ]]; then
		mapfile -t COMPREPLY < <(compgen -W "--json --junit --tap --seed --only --case --timeout-ms
			--budget-s --stress-ms --jobs --trapped --verbose --quiet --help" -- "$cur")
		return 0
	fi
	# READER.so: shared objects and directories to reach them
	compopt -o filenames 2>/dev/null || true
	mapfile -t COMPREPLY < <({ compgen -f -X '!*.so*' -- "$cur"; compgen -d -- "$cur"; } | sort -u)
	return 0
}
complete -F _vmclock_cts vmclock-cts
