# Debian's OpenSSH server on loopback for the remoting tests: started by the test as the current user, on a
# free 127.0.0.1 port, with a temporary host key, a temporary user key (the only one it accepts, for this user
# only) and a `powershell` subsystem that runs this pwsh with the module under test first on PSModulePath.
# Nothing outside the given folder is read or written, except /run/sshd, which sshd needs when run as root.

$script:SshServerPath = '/usr/sbin/sshd'

# Why the remoting tests cannot run here, or $null when they can.
function Get-SshServerUnavailableReason {
    if ($IsWindows -or $IsMacOS) { return "the loopback sshd test runs on Linux (Debian's openssh-server) only" }
    $missing = @(if (-not (Test-Path -LiteralPath $script:SshServerPath)) { "openssh-server ($script:SshServerPath)" }
        foreach ($tool in 'ssh', 'ssh-keygen') { if (-not (Get-Command $tool -CommandType Application -ErrorAction Ignore)) { "openssh-client ($tool)" } })
    if ($missing) { return "$($missing -join ' and ') not installed; build.ps1 Test installs them as root or with passwordless sudo (apt-get install openssh-server openssh-client)" }
    $null
}

# Starts sshd in the foreground (-D), as a child of this process, so this process stops it and reaps it.
# Returns what Invoke-Command needs (-HostName localhost or 127.0.0.1, plus SshParameters splatted) and what Stop-LoopbackSshServer needs.
function Start-LoopbackSshServer([string] $Directory, [string] $ModulePath) {
    $null = New-Item -ItemType Directory $Directory -Force
    $hostKey = Join-Path $Directory 'host_key'; $userKey = Join-Path $Directory 'user_key'
    foreach ($key in $hostKey, $userKey) {
        & ssh-keygen -q -t ed25519 -N '' -C 'neuralstyle-test' -f $key
        if ($LASTEXITCODE -ne 0) { throw "ssh-keygen failed for $key (exit code $LASTEXITCODE)." }
    }
    $authorizedKeys = Join-Path $Directory 'authorized_keys'
    Copy-Item "$userKey.pub" $authorizedKeys

    # sshd starts the subsystem with a clean environment, so the wrapper names this pwsh and the module by absolute path.
    $pwsh = @(Get-PwshLauncher | ForEach-Object { "'$_'" }) -join ' '
    $subsystem = Join-Path $Directory 'pwsh-subsystem.sh'
    Set-Content -LiteralPath $subsystem -Value @(
        '#!/bin/sh'
        "export NEURALSTYLE_SSH_SERVER='$Directory'"  # marks the remote workers, so the test can see none is left
        "export PSModulePath='$(Split-Path $ModulePath -Parent)'"
        "exec $pwsh -sshs -NoLogo -NoProfile")
    chmod 700 $subsystem

    $user = [Environment]::UserName
    $runAsRoot = (& id -u) -eq '0'
    # Privilege separation: a root sshd needs this directory (Debian's service unit creates it at start).
    $createdPrivsepDir = $runAsRoot -and -not (Test-Path -LiteralPath /run/sshd)
    if ($createdPrivsepDir) { $null = New-Item -ItemType Directory /run/sshd; chmod 755 /run/sshd }

    $log = Join-Path $Directory 'sshd.log'
    for ($attempt = 1; ; $attempt++) {
        $port = Get-ClosedLoopbackPort
        $config = Join-Path $Directory 'sshd_config'
        Set-Content -LiteralPath $config -Value @(
            'ListenAddress 127.0.0.1'
            "Port $port"
            "HostKey $hostKey"
            "AuthorizedKeysFile $authorizedKeys"
            "PidFile $(Join-Path $Directory 'sshd.pid')"
            "AllowUsers $user"
            'AuthenticationMethods publickey'
            'PasswordAuthentication no'
            'KbdInteractiveAuthentication no'
            'UsePAM no'
            'PermitRootLogin prohibit-password'
            # The temporary folders lie under /tmp, which is world-writable: strict modes would refuse the keys.
            'StrictModes no'
            "Subsystem powershell $subsystem")
        $start = [Diagnostics.ProcessStartInfo]::new($script:SshServerPath)
        foreach ($a in '-D', '-f', $config, '-E', $log) { $start.ArgumentList.Add($a) }
        $start.UseShellExecute = $false
        if (Test-Path -LiteralPath $log) { Remove-Item -LiteralPath $log }
        $process = [Diagnostics.Process]::Start($start)
        $deadline = [DateTime]::UtcNow.AddSeconds(20)
        $listening = $false
        while (-not $process.HasExited -and [DateTime]::UtcNow -lt $deadline) {
            if ((Test-Path -LiteralPath $log) -and (Select-String -LiteralPath $log -SimpleMatch "Server listening on 127.0.0.1 port $port" -Quiet)) { $listening = $true; break }
            Start-Sleep -Milliseconds 100
        }
        if ($listening) { break }
        $text = (Test-Path -LiteralPath $log) ? (Get-Content -Raw -LiteralPath $log) : '(no log)'
        if (-not $process.HasExited) { $process.Kill(); $null = $process.WaitForExit(10000) }
        $process.Dispose()
        # Another process may take the free port between the probe and sshd's bind: try another one.
        if ($attempt -lt 3 -and $text -match 'Address already in use') { continue }
        if ($createdPrivsepDir) { Remove-Item -LiteralPath /run/sshd -ErrorAction Ignore }
        throw "sshd did not start listening on 127.0.0.1:$port within 20 s: $text"
    }

    # The host key is known beforehand under both names, so ssh checks it strictly and never asks.
    $hostPublicKey = (Get-Content -Raw "$hostKey.pub").Trim()
    $knownHosts = Join-Path $Directory 'known_hosts'
    Set-Content -LiteralPath $knownHosts -Value "[localhost]:$port,[127.0.0.1]:$port $hostPublicKey"
    [pscustomobject]@{
        Process = $process; Directory = $Directory; Port = $port; Log = $log; CreatedPrivsepDir = $createdPrivsepDir
        SshParameters = @{
            # Bounded: the connection and the remote pwsh's start (slow on a loaded 2-core machine).
            Port = $port; UserName = $user; KeyFilePath = $userKey; ConnectingTimeout = 180000
            Options = @{ StrictHostKeyChecking = 'yes'; UserKnownHostsFile = $knownHosts; GlobalKnownHostsFile = '/dev/null'
                BatchMode = 'yes'; IdentitiesOnly = 'yes'; ConnectTimeout = '20' }
        }
    }
}

# Process ids of sshd's connections (the listener's descendants) and of the remote pwsh workers (they carry the
# server's marker, also once orphaned); not the listener itself.
function Get-LoopbackSshProcess($Server) {
    $marker = "NEURALSTYLE_SSH_SERVER=$($Server.Directory)`0"
    $parents = @{}; $marked = @()
    foreach ($dir in Get-ChildItem /proc -Directory | Where-Object Name -Match '^\d+$') {
        $id = [int]$dir.Name
        try {
            # /proc/<id>/stat: "id (name) state parent …"; the name may hold spaces and parentheses.
            $stat = [IO.File]::ReadAllText("/proc/$id/stat")
            $parents[$id] = [int]($stat.Substring($stat.LastIndexOf(')') + 2).Split(' ')[1])
            if ([IO.File]::ReadAllText("/proc/$id/environ").Contains($marker)) { $marked += $id }
        }
        catch { }  # gone meanwhile, or another user's
    }
    $descendants = @(); $frontier = @($Server.Process.Id)
    while ($frontier) {
        $frontier = @($parents.Keys | Where-Object { $frontier -contains $parents[$_] })
        $descendants += $frontier
    }
    @($descendants + $marked | Where-Object { $_ -ne $PID } | Sort-Object -Unique)
}

# Waits (bounded) until no connection or remote worker is left; returns the ids of those still running.
function Wait-LoopbackSshIdle($Server, [int] $Seconds = 30) {
    $deadline = [DateTime]::UtcNow.AddSeconds($Seconds)
    while (($left = @(Get-LoopbackSshProcess $Server)) -and [DateTime]::UtcNow -lt $deadline) { Start-Sleep -Milliseconds 200 }
    $left
}

# Stops the server after its connections end (so the listener reaps them), kills any left after the wait, and reaps the listener.
function Stop-LoopbackSshServer($Server) {
    if (-not $Server) { return }
    foreach ($id in Wait-LoopbackSshIdle $Server 20) { try { [Diagnostics.Process]::GetProcessById($id).Kill() } catch { } }
    if (-not $Server.Process.HasExited) { $Server.Process.Kill() }
    $null = $Server.Process.WaitForExit(10000)
    $Server.Process.Dispose()
    if ($Server.CreatedPrivsepDir) { Remove-Item -LiteralPath /run/sshd -ErrorAction Ignore }
}
