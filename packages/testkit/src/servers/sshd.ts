import { mkdir, readFile, writeFile } from 'node:fs/promises';
import { userInfo } from 'node:os';
import { join } from 'node:path';
import { runLocal, shellQuote, type ProgramResult } from '@cutover/routers';
import { requireBinary, spawnDaemon, stopDaemon, waitReady } from './process.js';
import { tcpGreets } from './probe.js';
import { freePort, makeTempDir, removeDir } from './temp.js';

export const SSHD_BINARY = '/usr/sbin/sshd';
export const SSH_BINARY = '/usr/bin/ssh';
export const SSH_KEYGEN_BINARY = '/usr/bin/ssh-keygen';

export interface Sshd {
  port: number;
  host: string;
  /** The loopback addresses it listens on: one per "host" of a fleet. */
  addresses: string[];
  user: string;
  identityFile: string;
  knownHostsFile: string;
  /** Shaped like SshTarget of @cutover/config, for environment files. */
  ssh: { host: string; port: number; user: string; 'identity-file': string; 'known-hosts-file': string };
  /** The ssh client argv up to and including the destination; append one remote command line. */
  sshArgv: string[];
  /** Runs argv on the server (quoted with shellQuote for the remote shell). */
  run(argv: string[]): Promise<ProgramResult>;
  stop(): Promise<void>;
}

export interface SshdOptions {
  /**
   * Loopback addresses to listen on, each trusted in known_hosts (default 127.0.0.1): machines ssh
   * tells apart (a connection, and a master, each) on one sshd. At most 16, sshd's limit of
   * listening sockets: start another sshd for more.
   */
  addresses?: string[];
}

/** sshd on 127.0.0.1:<free port> accepting one generated key for the current user; all files in a temp dir. */
export async function startSshd(options: SshdOptions = {}): Promise<Sshd> {
  const addresses = options.addresses ?? ['127.0.0.1'];
  if (addresses.length === 0 || addresses.length > 16) throw new Error(`sshd listens on 1 to 16 addresses, not ${addresses.length}`);
  await requireBinary(SSHD_BINARY, 'openssh-server');
  await requireBinary(SSH_BINARY, 'openssh-client');
  await requireBinary(SSH_KEYGEN_BINARY, 'openssh-client');
  // sshd refuses to start without its privilege separation directory.
  await mkdir('/run/sshd', { recursive: true, mode: 0o755 });
  const dir = await makeTempDir('cutover-sshd-');
  try {
    const port = await freePort();
    const user = userInfo().username;
    const hostKey = join(dir, 'ssh_host_ed25519_key');
    const identityFile = join(dir, 'id_ed25519');
    const knownHostsFile = join(dir, 'known_hosts');
    const authorizedKeys = join(dir, 'authorized_keys');
    const configFile = join(dir, 'sshd_config');
    await keygen(hostKey, 'cutover test host');
    await keygen(identityFile, 'cutover test client');
    await writeFile(authorizedKeys, await readFile(`${identityFile}.pub`, 'utf8'), { mode: 0o600 });
    const [keyType, keyData] = (await readFile(`${hostKey}.pub`, 'utf8')).trim().split(/\s+/);
    await writeFile(knownHostsFile, addresses.map((address) => `[${address}]:${port} ${keyType} ${keyData}\n`).join(''));
    await writeFile(
      configFile,
      [
        ...addresses.map((address) => `ListenAddress ${address}`),
        `HostKey ${hostKey}`,
        `AuthorizedKeysFile ${authorizedKeys}`,
        `PidFile ${join(dir, 'sshd.pid')}`,
        'PubkeyAuthentication yes',
        'PasswordAuthentication no',
        'KbdInteractiveAuthentication no',
        'PermitRootLogin prohibit-password',
        'StrictModes no',
        'UsePAM no',
        `AllowUsers ${user}`,
        'LogLevel ERROR',
        // bash sources ~/.bashrc for commands sshd starts, unless it is a nested shell: a heavy
        // .bashrc on the test machine (measured: pyenv init, 3 s a command) is not what the tests measure.
        'SetEnv SHLVL=1',
        '',
      ].join('\n'),
    );

    const daemon = spawnDaemon([SSHD_BINARY, '-D', '-e', '-f', configFile, '-p', String(port)], join(dir, 'sshd.log'));
    const stop = async () => {
      await stopDaemon(daemon, 'SIGTERM');
      await removeDir(dir);
    };
    const sshArgv = [
      SSH_BINARY,
      '-F',
      '/dev/null',
      '-i',
      identityFile,
      '-p',
      String(port),
      '-o',
      'BatchMode=yes',
      '-o',
      'IdentitiesOnly=yes',
      '-o',
      `UserKnownHostsFile=${knownHostsFile}`,
      '-o',
      'StrictHostKeyChecking=yes',
      '-o',
      'LogLevel=ERROR',
      `${user}@${addresses[0]}`,
    ];
    const run = (argv: string[]) => runLocal([...sshArgv, '--', shellQuote(argv)]);
    try {
      await waitReady('sshd', daemon, () => tcpGreets(port, 'SSH-', addresses[0]));
      // Proves the key, known_hosts and config work, not just that the port is open.
      const probe = await run(['true']);
      if (probe.code !== 0) throw new Error(`sshd started but a key login failed (exit ${probe.code}): ${probe.stderr}\n${daemon.log()}`);
    } catch (error) {
      await stop();
      throw error;
    }
    return {
      port,
      host: addresses[0]!,
      addresses,
      user,
      identityFile,
      knownHostsFile,
      ssh: { host: addresses[0]!, port, user, 'identity-file': identityFile, 'known-hosts-file': knownHostsFile },
      sshArgv,
      run,
      stop,
    };
  } catch (error) {
    await removeDir(dir);
    throw error;
  }
}

async function keygen(file: string, comment: string): Promise<void> {
  const result = await runLocal([SSH_KEYGEN_BINARY, '-q', '-t', 'ed25519', '-N', '', '-C', comment, '-f', file]);
  if (result.code !== 0) throw new Error(`ssh-keygen failed for ${file}: ${result.stderr}`);
}
