# Shared by the Pester test files: how to start a fresh pwsh like the one running the tests.
function Invoke-FreshPwsh([string] $Command) {
    $exe = Join-Path $PSHOME ($IsWindows ? 'pwsh.exe' : 'pwsh')
    if (Test-Path -LiteralPath $exe) { & $exe -NoProfile -NonInteractive -Command $Command }
    else { & ([Environment]::ProcessPath) (Join-Path $PSHOME 'pwsh.dll') -NoProfile -NonInteractive -Command $Command }
}

# A folder this process cannot write to, even as root (chmod is not enough for root, chattr +i is).
function New-UnwritableDirectory([string] $Path) {
    $null = New-Item -ItemType Directory -Path $Path -Force
    if ($IsWindows) {
        $acl = Get-Acl $Path
        $rule = [System.Security.AccessControl.FileSystemAccessRule]::new([System.Security.Principal.WindowsIdentity]::GetCurrent().Name, 'Write', 'Deny')
        $acl.AddAccessRule($rule); Set-Acl $Path $acl
        return $Path
    }
    chmod 555 $Path
    if (Test-Writable $Path) { chattr +i $Path 2>$null }
    if (Test-Writable $Path) { return '/sys/neuralstyle-unwritable' }  # sysfs refuses new entries, even to root
    return $Path
}

function Remove-UnwritableDirectory([string] $Path) {
    if (-not $IsWindows -and (Test-Path $Path)) { chattr -i $Path 2>$null; chmod 755 $Path }
}

function Test-Writable([string] $Path) {
    $probe = Join-Path $Path ".probe-$([guid]::NewGuid())"
    # .NET calls, not Remove-Item: PowerShell refuses to delete inside a 555 folder even as root.
    try { [System.IO.File]::WriteAllText($probe, 'x'); [System.IO.File]::Delete($probe); return $true }
    catch { return $false }
}
