// Reading and writing key files. Security invariants: a key file is created with mode 0600 and
// reaches its final name only complete and fsynced (temp file, fsync, link, fsync directory), and
// an existing key file is never replaced, so an identity cannot change behind its owner's back.
import { randomBytes } from 'node:crypto'
import { link, mkdir, open, rename, stat, unlink } from 'node:fs/promises'
import { basename, dirname, join } from 'node:path'
import { IDENTITY_DIRECTORY_MODE, KEY_FILE_MAX_BYTES, KEY_FILE_MODE } from './constants.js'
import { KeyFileAccessError, KeyFileCorruptError } from './errors.js'

function errorCode(error: unknown): string | undefined {
  if (typeof error !== 'object' || error === null || !('code' in error)) return undefined
  return typeof error.code === 'string' ? error.code : undefined
}

/** Creates the identity directory (mode 0700) when missing. Existing modes are left alone. */
export async function ensureIdentityDirectory(directory: string): Promise<void> {
  try {
    await mkdir(directory, { recursive: true, mode: IDENTITY_DIRECTORY_MODE })
  } catch (error) {
    throw new KeyFileAccessError(`cannot create identity directory ${directory}`, {
      path: directory,
      cause: error,
    })
  }
}

/**
 * The bytes of a key file, or `undefined` when there is none.
 *
 * @throws KeyFileCorruptError when the file is larger than any key file.
 * @throws KeyFileAccessError when it exists but cannot be read.
 */
export async function readKeyFileBytes(path: string): Promise<Uint8Array | undefined> {
  let handle
  try {
    handle = await open(path, 'r')
  } catch (error) {
    if (errorCode(error) === 'ENOENT') return undefined
    throw new KeyFileAccessError(`cannot open key file ${path}`, { path, cause: error })
  }
  try {
    const { size } = await handle.stat()
    if (size > KEY_FILE_MAX_BYTES) {
      throw new KeyFileCorruptError(`key file ${path} is ${size} bytes, too large for a key`, {
        path,
      })
    }
    return new Uint8Array(await handle.readFile())
  } catch (error) {
    if (error instanceof KeyFileCorruptError) throw error
    throw new KeyFileAccessError(`cannot read key file ${path}`, { path, cause: error })
  } finally {
    await handle.close()
  }
}

async function syncDirectory(directory: string): Promise<void> {
  // Makes the new directory entry durable (POSIX). Platforms that cannot open a directory for
  // syncing (Windows) make the rename durable themselves.
  let handle
  try {
    handle = await open(directory, 'r')
  } catch {
    return
  }
  try {
    await handle.sync()
  } catch (error) {
    if (!['EINVAL', 'EISDIR', 'EPERM', 'ENOTSUP'].includes(errorCode(error) ?? '')) throw error
  } finally {
    await handle.close()
  }
}

/** Moves `temporary` to `path` unless `path` exists; `false` when it existed. */
async function publishExclusive(temporary: string, path: string): Promise<boolean> {
  try {
    await link(temporary, path)
    return true
  } catch (error) {
    const code = errorCode(error)
    if (code === 'EEXIST') return false
    // File systems without hard links: check, then rename (a narrower race, same-dir rename).
    if (code !== 'EPERM' && code !== 'ENOTSUP' && code !== 'ENOSYS' && code !== 'EXDEV') {
      throw error
    }
    const existing = await stat(path).catch(() => undefined)
    if (existing !== undefined) return false
    await rename(temporary, path)
    return true
  }
}

/**
 * Writes `bytes` to `path` atomically and durably with mode 0600, unless a file is already there.
 * Returns `false` (and writes nothing) when `path` already exists, e.g. another process created
 * it first: the caller then reads that file instead.
 *
 * @throws KeyFileAccessError when the file system refuses.
 */
export async function writeKeyFileExclusive(path: string, bytes: Uint8Array): Promise<boolean> {
  const directory = dirname(path)
  const temporary = join(directory, `.${basename(path)}.${randomBytes(8).toString('hex')}.tmp`)
  try {
    const handle = await open(temporary, 'wx', KEY_FILE_MODE)
    try {
      await handle.writeFile(bytes)
      await handle.sync()
    } finally {
      await handle.close()
    }
    const written = await publishExclusive(temporary, path)
    await unlink(temporary).catch(() => undefined)
    await syncDirectory(directory)
    return written
  } catch (error) {
    throw new KeyFileAccessError(`cannot write key file ${path}`, { path, cause: error })
  } finally {
    await unlink(temporary).catch(() => undefined)
  }
}
