<#
.SYNOPSIS
    Makes TorchSharp's native library load where the system libstdc++ is older than GCC 13.

.DESCRIPTION
    libLibTorchSharp.so 0.107 needs one symbol from GLIBCXX_3.4.32 (std::ios_base_library_init),
    which Debian 12 and Ubuntu 22.04 do not have. Where that version is missing, this script
    builds a tiny shim that exports the symbol under that version, adds it as a DT_NEEDED of
    libLibTorchSharp.so (found through its $ORIGIN runpath), and marks the library's version
    requirement on GLIBCXX_3.4.32 weak, so the loader accepts the older libstdc++.
    Where the system already has the version, nothing is changed. Idempotent.
#>
[CmdletBinding()]
param(
    # Folder holding libLibTorchSharp.so (a module folder or a test bin folder).
    [Parameter(Mandatory)] [string] $NativeDirectory
)
$ErrorActionPreference = 'Stop'
Set-StrictMode -Version Latest

$target = Join-Path $NativeDirectory 'libLibTorchSharp.so'
if (-not $IsLinux -or -not (Test-Path -LiteralPath $target)) { return }

function Get-SystemLibStdCxx {
    $line = (& ldconfig -p) | Where-Object { $_ -match 'libstdc\+\+\.so\.6 \(.*x86-64.*\) => (.+)$' } | Select-Object -First 1
    if (-not $line) { $line = (& ldconfig -p) | Where-Object { $_ -match 'libstdc\+\+\.so\.6 .*=> (.+)$' } | Select-Object -First 1 }
    if (-not $line) { throw 'libstdc++.so.6 was not found by ldconfig.' }
    $null = $line -match '=> (.+)$'
    return $Matches[1].Trim()
}

function Test-BytesContain([byte[]] $Haystack, [string] $Needle) {
    $text = [System.Text.Encoding]::Latin1.GetString($Haystack)
    return $text.Contains($Needle)
}

$version = 'GLIBCXX_3.4.32'
$libstdcxx = Get-SystemLibStdCxx
if (Test-BytesContain ([System.IO.File]::ReadAllBytes($libstdcxx)) $version) {
    Write-Verbose "$libstdcxx provides $version; no repair needed."
    return
}

$shimName = 'libneuralstyle_glibcxx_shim.so'
$shimPath = Join-Path $NativeDirectory $shimName
$sourceDir = Join-Path $PSScriptRoot 'glibcxx-shim'
$missing = @('cc', 'patchelf') | Where-Object { -not (Get-Command $_ -ErrorAction SilentlyContinue) }
if ($missing) {
    # A fresh Debian/Ubuntu machine may lack them; as root we install them, otherwise we say what to do.
    $canInstall = (Get-Command apt-get -ErrorAction SilentlyContinue) -and ((& id -u) -eq '0')
    if (-not $canInstall) {
        throw "'$($missing -join "', '")' is needed to make TorchSharp load on this system ($libstdcxx lacks $version). Install it, e.g. 'sudo apt-get install gcc patchelf'."
    }
    Write-Host "Installing gcc and patchelf (needed because $libstdcxx lacks $version)..."
    $env:DEBIAN_FRONTEND = 'noninteractive'
    & apt-get install -y -q gcc patchelf *> $null
    if ($LASTEXITCODE -ne 0) { & apt-get update -q *> $null; & apt-get install -y -q gcc patchelf }
    if ($LASTEXITCODE -ne 0) { throw 'apt-get could not install gcc and patchelf.' }
}
& cc -shared -fPIC -O2 -o $shimPath (Join-Path $sourceDir 'glibcxx_shim.c') "-Wl,--version-script=$(Join-Path $sourceDir 'glibcxx_shim.map')" "-Wl,-soname,$shimName"
if ($LASTEXITCODE -ne 0) { throw "Building $shimName failed." }

$needed = & patchelf --print-needed $target
if ($needed -notcontains $shimName) {
    & patchelf --add-needed $shimName $target
    if ($LASTEXITCODE -ne 0) { throw "patchelf could not add $shimName to $target." }
}

# Mark the Vernaux entry for GLIBCXX_3.4.32 weak (VER_FLG_WEAK = 0x2) in .gnu.version_r.
$bytes = [System.IO.File]::ReadAllBytes($target)
$u16 = { param($o) [BitConverter]::ToUInt16($bytes, $o) }
$u32 = { param($o) [BitConverter]::ToUInt32($bytes, $o) }
$u64 = { param($o) [BitConverter]::ToUInt64($bytes, $o) }
if ($bytes[4] -ne 2 -or $bytes[5] -ne 1) { throw "$target is not a little-endian ELF64 file." }
$shoff = & $u64 0x28
$shentsize = & $u16 0x3A
$shnum = & $u16 0x3C
$SHT_GNU_verneed = 0x6ffffffe
$patched = $false
for ($i = 0; $i -lt $shnum; $i++) {
    $sh = [int64]$shoff + $i * $shentsize
    if ((& $u32 ($sh + 4)) -ne $SHT_GNU_verneed) { continue }
    $secOffset = [int64](& $u64 ($sh + 0x18))
    $link = & $u32 ($sh + 0x28)
    $strSh = [int64]$shoff + $link * $shentsize
    $strOffset = [int64](& $u64 ($strSh + 0x18))
    $readString = {
        param($o)
        $end = $o; while ($bytes[$end] -ne 0) { $end++ }
        [System.Text.Encoding]::ASCII.GetString($bytes, $o, $end - $o)
    }
    $vn = $secOffset
    while ($true) {
        $cnt = & $u16 ($vn + 2)
        $aux = $vn + (& $u32 ($vn + 8))
        for ($j = 0; $j -lt $cnt; $j++) {
            $name = & $readString ($strOffset + (& $u32 ($aux + 8)))
            if ($name -eq $version) {
                $flags = & $u16 ($aux + 4)
                $newFlags = [uint16]($flags -bor 0x2)
                $bytes[$aux + 4] = [byte]($newFlags -band 0xFF)
                $bytes[$aux + 5] = [byte]($newFlags -shr 8)
                $patched = $true
            }
            $aux += (& $u32 ($aux + 12))
        }
        $next = & $u32 ($vn + 12)
        if ($next -eq 0) { break }
        $vn += $next
    }
}
if (-not $patched) { throw "No version requirement on $version found in $target." }
$tmp = "$target.tmp"
[System.IO.File]::WriteAllBytes($tmp, $bytes)
Move-Item -LiteralPath $tmp -Destination $target -Force
Write-Verbose "Patched $target to load with $libstdcxx."
