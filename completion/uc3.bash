# bash completion for uc3(1)                               -*- shell-script -*-
#
# `make install` puts this file in bash-completion's directory as `uc3`,
# so that bash-completion loads it the first time uc3 is completed.
# Without bash-completion, source it from ~/.bashrc. It needs nothing of
# bash-completion either way.
#
# Every word comes from uc3 itself, so that it cannot go stale:
#   uc3 --list-cmds                 the commands: every uc3-* found, and help
#   uc3 CMD --completion-helper     CMD's options, from its own option table
#   uc3 [-C DIR] complete WHAT      the policy's kinds, channels, units and
#                                   roles, and the statuses (uc3-complete(1))
#   uc3 [-C DIR] list --format ids  the ids of the tickets
# A TAB runs one or two of them: a command's options are asked once a
# shell. What they say on stderr goes nowhere, so that nothing but the
# completions reaches the terminal.

# A command's --completion-helper lines, by command (".": uc3's own).
declare -gA _uc3_options_of=()

# _uc3_dequote WORD: the word as the shell will pass it, its quotes and
# backslashes taken away (an open quote may be left open), into REPLY.
_uc3_dequote() {
	local s=$1 out='' c q='' i

	for ((i = 0; i < ${#s}; i++)); do
		c=${s:i:1}
		if [[ $q == "'" ]]; then
			if [[ $c == "'" ]]; then q=''; else out+=$c; fi
		elif [[ $c == '\' ]]; then
			i=$((i + 1))
			c=${s:i:1}
			# inside "...", a backslash stays before all but these
			if [[ $q == '"' && $c != [\"\\\$\`] ]]; then out+='\'; fi
			out+=$c
		elif [[ $c == '"' || ($c == "'" && -z $q) ]]; then
			if [[ $q == "$c" ]]; then q=''; else q=$c; fi
		else
			out+=$c
		fi
	done
	REPLY=$out
}

# _uc3_add WORD VALUE...: add to COMPREPLY each value that starts with
# WORD (as it was typed, quotes and all), quoted as it must be after
# what was typed: inside an open quote, as that quote needs it (a ' as
# '\'', and \ before $ ` " \ in "..."), else with backslashes
# ("Fakultas\ Hukum"). The shell closes an open quote after a single
# match, unless the match ends with that quote character: then it is
# closed here.
_uc3_add() {
	local typed=$1 v q
	shift
	_uc3_dequote "$typed"
	for v; do
		[[ -n $v && $v == "$REPLY"* ]] || continue
		case $typed in
		\'* | \"*)
			if [[ $typed == \'* ]]; then
				q=${v//\'/\'\\\'\'}
			else
				q=${v//\\/\\\\}
				q=${q//\$/\\\$}
				q=${q//\`/\\\`}
				q=${q//\"/\\\"}
			fi
			[[ $q == *"${typed:0:1}" ]] && q+=${typed:0:1}
			COMPREPLY+=("$q")
			;;
		*)
			printf -v q '%q' "$v"
			COMPREPLY+=("$q")
			;;
		esac
	done
}

# _uc3_words WHAT: the lines of `uc3 [-C DIR] complete WHAT`, into the
# array REPLY_WORDS.
_uc3_words() {
	mapfile -t REPLY_WORDS < <(command uc3 "${_uc3_dir[@]}" complete "$1" 2>/dev/null)
}

# _uc3_ids WORD: the ids of the tickets that WORD may begin, as people
# type them: the id in any case, or its number (42, 0042), or year and
# number (2026-42).
_uc3_ids() {
	local id n y p
	_uc3_dequote "$1"
	p=$REPLY
	while IFS= read -r id; do
		n=${id##*-}
		y=${id%-*}
		y=${y##*-}
		if [[ ${id^^} == "${p^^}"* ]] ||
			{ [[ $p =~ ^0*([0-9]*)$ ]] && _uc3_number "$n" "$p"; } ||
			{ [[ $p =~ ^([0-9]{4})-(0*[0-9]*)$ ]] && [[ ${BASH_REMATCH[1]} == "$y" ]] &&
				_uc3_number "$n" "${BASH_REMATCH[2]}"; }; then
			COMPREPLY+=("$id")
		fi
	done < <(UC3_NO_FETCH=1 command uc3 "${_uc3_dir[@]}" list --format ids 2>/dev/null)
}

# _uc3_number NNNN TYPED: whether the ticket number NNNN begins with the
# number typed, with or without its leading zeros.
_uc3_number() {
	[[ $2 =~ ^0*(.*)$ ]]
	[[ $1 == "$2"* || $((10#$1)) == "${BASH_REMATCH[1]}"* ]]
}

# _uc3_files WORD [-d]: file names (directories with -d) that WORD begins;
# the shell quotes them and marks directories.
_uc3_files() {
	_uc3_dequote "$1"
	compopt -o filenames 2>/dev/null
	mapfile -t -O "${#COMPREPLY[@]}" COMPREPLY < <(compgen "${2:--f}" -- "$REPLY")
}

# _uc3_options CMD: CMD's option lines (lib/opt.h, uc3_opt_completion)
# into the array _uc3_lines: "NAMES<tab>VALUE<tab>A|B|C".
_uc3_options() {
	local key=${1:-.}

	if [[ -z ${_uc3_options_of[$key]+set} ]]; then
		if [[ -z $1 ]]; then
			_uc3_options_of[$key]=$(command uc3 --completion-helper 2>/dev/null)
		else
			_uc3_options_of[$key]=$(command uc3 "$1" --completion-helper 2>/dev/null)
		fi
	fi
	mapfile -t _uc3_lines <<<"${_uc3_options_of[$key]}"
}

# _uc3_option WORD: when WORD names an option of _uc3_lines that takes a
# value, its long name, the name of its value and its values into
# _uc3_long, _uc3_argh and _uc3_vals, and true.
_uc3_option() {
	local line names argh vals n
	for line in "${_uc3_lines[@]}"; do
		IFS=$'\t' read -r names argh vals <<<"$line"
		[[ -n $argh ]] || continue
		for n in $names; do
			if [[ $n == "$1" ]]; then
				_uc3_long=${names##* }
				_uc3_long=${_uc3_long#--}
				_uc3_argh=$argh
				_uc3_vals=$vals
				return 0
			fi
		done
	done
	return 1
}

# _uc3_value WORD: complete WORD as the value of the option found by
# _uc3_option.
_uc3_value() {
	local sofar='' v
	if [[ -n $_uc3_vals ]]; then
		IFS='|' read -r -a REPLY_WORDS <<<"$_uc3_vals"
		_uc3_add "$1" "${REPLY_WORDS[@]}"
		return
	fi
	case $_uc3_long in
	kind | channel | unit)
		_uc3_words "${_uc3_long}s"
		;;
	status)
		_uc3_words statuses
		;;
	level | holder | role)
		_uc3_words roles
		;;
	of)
		_uc3_ids "$1"
		return
		;;
	*)
		case $_uc3_argh in
		FILE) _uc3_files "$1" ;;
		DIR) _uc3_files "$1" -d ;;
		esac
		return
		;;
	esac
	if [[ $_uc3_long == status && $1 == *,* ]]; then
		# several statuses, a comma between them: complete the last one
		sofar=${1%,*},
		for v in "${REPLY_WORDS[@]}"; do
			[[ ,$sofar == *,"$v",* ]] || COMPREPLY+=("$sofar$v")
		done
		_uc3_dequote "$1"
		for v in "${!COMPREPLY[@]}"; do
			[[ ${COMPREPLY[v]} == "$REPLY"* ]] || unset 'COMPREPLY[v]'
		done
		COMPREPLY=("${COMPREPLY[@]}")
		return
	fi
	_uc3_add "$1" "${REPLY_WORDS[@]}"
}

_uc3() {
	local -a words=("${COMP_WORDS[@]}") _uc3_dir=() _uc3_lines=() REPLY_WORDS=()
	local cword=$COMP_CWORD cur prev eq='' i w cmd='' cmdi=0 npos=0 line names n
	local _uc3_long='' _uc3_argh='' _uc3_vals='' REPLY=''

	COMPREPLY=()
	cur=${words[cword]}
	prev=${words[cword - 1]:-}
	# bash splits --kind=ke into "--kind" "=" "ke", and --kind= into
	# "--kind" "=" with the "=" as the word being completed
	if [[ $cur == = && $prev == --* ]]; then
		cur=''
		eq=1
	elif [[ $prev == = && cword -gt 2 && ${words[cword - 2]} == --* ]]; then
		prev=${words[cword - 2]}
		eq=1
	fi

	# -C DIR, before or after the command: the records repository to read
	for ((i = 1; i < ${#words[@]}; i++)); do
		((i == cword)) && continue
		w=${words[i]}
		case $w in
		--) break ;;
		-C)
			if ((i + 1 != cword)) && [[ -n ${words[i + 1]:-} ]]; then
				_uc3_dequote "${words[i + 1]}"
				[[ ${words[i + 1]} == '~'* ]] && REPLY=${REPLY/#\~/$HOME}
				_uc3_dir=(-C "$REPLY")
			fi
			i=$((i + 1))
			;;
		-C?*)
			_uc3_dequote "${w#-C}"
			_uc3_dir=(-C "$REPLY")
			;;
		esac
	done

	# the command: the first word that is not one of uc3's own options
	for ((i = 1; i < cword; i++)); do
		case ${words[i]} in
		-C) i=$((i + 1)) ;;
		-*) ;;
		*)
			cmd=${words[i]}
			cmdi=$i
			break
			;;
		esac
	done

	_uc3_options "$cmd"
	if [[ -n $eq ]] || [[ $prev == -* ]]; then
		if _uc3_option "$prev"; then
			_uc3_value "$cur"
			return 0
		fi
		[[ -n $eq ]] && return 0
	fi
	if [[ $cur == -* ]]; then
		for line in "${_uc3_lines[@]}"; do
			IFS=$'\t' read -r names _ <<<"$line"
			for n in $names; do
				[[ $n == "$cur"* ]] && COMPREPLY+=("$n")
			done
		done
		return 0
	fi
	if [[ -z $cmd ]]; then
		mapfile -t REPLY_WORDS < <(command uc3 --list-cmds 2>/dev/null)
		_uc3_add "$cur" "${REPLY_WORDS[@]}"
		return 0
	fi

	# the arguments before this one that are not options or their values
	for ((i = cmdi + 1; i < cword; i++)); do
		w=${words[i]}
		if [[ $w == -- ]]; then
			npos=$((npos + cword - i - 1))
			break
		elif [[ $w == -* ]]; then
			if [[ ${words[i + 1]:-} == = ]]; then
				i=$((i + 2))
			elif [[ $w != *=* ]] && _uc3_option "$w"; then
				i=$((i + 1))
			fi
		else
			npos=$((npos + 1))
		fi
	done
	case $cmd in
	help)
		if ((npos == 0)); then
			mapfile -t REPLY_WORDS < <(command uc3 --list-cmds 2>/dev/null)
			_uc3_add "$cur" "${REPLY_WORDS[@]}"
		fi
		;;
	answer | close | deliver | edit | escalate | log | reopen)
		((npos == 0)) && _uc3_ids "$cur"
		;;
	show)
		# several ids: each once
		_uc3_ids "$cur"
		for ((i = cmdi + 1; i < cword; i++)); do
			for n in "${!COMPREPLY[@]}"; do
				[[ ${COMPREPLY[n]} == "${words[i]}" ]] && unset 'COMPREPLY[n]'
			done
		done
		COMPREPLY=("${COMPREPLY[@]}")
		;;
	attach)
		if ((npos == 0)); then _uc3_ids "$cur"; else _uc3_files "$cur"; fi
		;;
	init)
		((npos == 0)) && _uc3_files "$cur" -d
		;;
	person)
		((npos == 0)) && _uc3_add "$cur" add list remove
		;;
	esac
	return 0
}

complete -F _uc3 uc3
