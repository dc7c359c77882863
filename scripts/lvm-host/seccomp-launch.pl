#!/usr/bin/perl
# seccomp-launch.pl PROGRAM [ARGS...]
# Execs PROGRAM (the UML kernel) under a seccomp filter that makes
#   ptrace(PTRACE_GETREGSET | PTRACE_SETREGSET, pid, NT_X86_XSTATE, ...)
# fail with EIO. UML 6.1 uses a fixed 2696-byte XSAVE buffer; on CPUs whose XSAVE area is
# larger, guest init dies with "ptrace set fp regs failed, errno = 14". When the XSTATE
# regset is refused, UML falls back to the 512-byte FXSAVE path (gotcha 1 in README.md).
# Only the UML host processes are filtered; guest processes see nothing of it.
# perl-base (Essential on Debian) is all this needs.
use strict;
use warnings;

die "usage: seccomp-launch.pl PROGRAM [ARGS...]\n" unless @ARGV;

my $AUDIT_ARCH_X86_64 = 0xc000003e;
my $NR_ptrace = 101;
my $NR_prctl = 157;
my $PTRACE_GETREGSET = 0x4204;
my $PTRACE_SETREGSET = 0x4205;
my $NT_X86_XSTATE = 0x202;
my $RET_ALLOW = 0x7fff0000;
my $RET_EIO = 0x00050000 | 5;    # SECCOMP_RET_ERRNO | EIO
my ($LD_W_ABS, $JEQ_K, $RET_K) = (0x20, 0x15, 0x06);

# struct sock_filter { u16 code; u8 jt; u8 jf; u32 k; }
sub insn { pack('SCCL', @_) }
my @prog = (
  insn($LD_W_ABS, 0, 0, 4),                      # 0: A = arch
  insn($JEQ_K, 0, 8, $AUDIT_ARCH_X86_64),        # 1: != x86_64 -> allow
  insn($LD_W_ABS, 0, 0, 0),                      # 2: A = syscall nr
  insn($JEQ_K, 0, 6, $NR_ptrace),                # 3: != ptrace -> allow
  insn($LD_W_ABS, 0, 0, 16),                     # 4: A = args[0] (request)
  insn($JEQ_K, 1, 0, $PTRACE_GETREGSET),         # 5: GETREGSET -> 7
  insn($JEQ_K, 0, 3, $PTRACE_SETREGSET),         # 6: not SETREGSET -> allow
  insn($LD_W_ABS, 0, 0, 32),                     # 7: A = args[2] (regset type)
  insn($JEQ_K, 0, 1, $NT_X86_XSTATE),            # 8: != NT_X86_XSTATE -> allow
  insn($RET_K, 0, 0, $RET_EIO),                  # 9: fail with EIO
  insn($RET_K, 0, 0, $RET_ALLOW),                # 10: allow
);
my $filter = join('', @prog);
my $ptr = unpack('Q', pack('p', $filter));
my $fprog = pack('S x6 Q', scalar(@prog), $ptr);   # struct sock_fprog

syscall($NR_prctl, 38, 1, 0, 0, 0) == 0 or die "prctl(PR_SET_NO_NEW_PRIVS): $!\n";
syscall($NR_prctl, 22, 2, $fprog, 0, 0) == 0 or die "prctl(PR_SET_SECCOMP): $!\n";
exec { $ARGV[0] } @ARGV or die "exec $ARGV[0]: $!\n";
