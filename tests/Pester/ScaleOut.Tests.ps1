# Scale-out (#14): device per worker, the per-process thread budget, batches that resume.
BeforeAll {
    . (Join-Path $PSScriptRoot 'TestHelpers.ps1')
    Import-Module $env:NEURALSTYLE_MODULE -Force
    $examples = Join-Path $env:NEURALSTYLE_REPO 'examples'
}
Describe 'Scale-out' {
# Every test starts in a fresh folder holding one source image.
BeforeEach {
    $work = Join-Path $TestDrive ([guid]::NewGuid())
    $null = New-Item -ItemType Directory $work
    Copy-Item (Join-Path $examples 'wood-planks.jpg') $work
    Push-Location $work
}
AfterEach { Pop-Location }

Describe 'Devices per worker' {

    It 'refuses -Device Cuda:1 before any work, naming the device as the target' {
        if ((Get-StyleDevice).Name -contains 'Cuda:1') { Set-ItResult -Skipped -Because 'this machine has a GPU 1' }
        $script:out = $null
        $err = { $script:out = New-NeuralTexture -Source wood-planks.jpg -Size 48 -Octaves 1 -Iterations 1 -Device Cuda:1 -OutPath t.png } |
            Should -Throw -PassThru
        $script:out | Should -BeNullOrEmpty
        $err.FullyQualifiedErrorId | Should -BeLike 'DeviceUnavailable,*'
        $err.CategoryInfo.Category | Should -Be 'ResourceUnavailable'
        $err.TargetObject | Should -Be 'Cuda:1'
        $err.Exception.Message | Should -BeLike 'Cuda:1 was requested*'
        Test-Path t.png | Should -BeFalse
        Get-ChildItem -Force | Should -HaveCount 1  # only the source: nothing written
    }

    It 'refuses text that is not a device before any work' {
        { New-NeuralTexture -Source wood-planks.jpg -Device Gpu:1 -OutPath t.png -ErrorAction Stop } |
            Should -Throw -ExpectedMessage "*'Gpu:1' is not a device. Use Auto, Cpu, Cuda or Cuda:N*"
        Test-Path t.png | Should -BeFalse
    }

    It 'accepts -Device Cpu and reports it in the result' {
        (New-NeuralTexture -Source wood-planks.jpg -Size 48 -Octaves 1 -Iterations 1 -Device cpu -OutPath t.png).Device | Should -Be 'cpu'
    }

    It 'lists each device by the name -Device accepts, with the CPU memory' {
        $devices = @(Get-StyleDevice)
        $devices[0].Name | Should -Be 'Cpu'
        $devices[0].MemoryBytes | Should -BeGreaterThan 1MB
        if (-not ($devices | Where-Object Name -like 'Cuda:*')) {
            $devices[1].Name | Should -Be 'Cuda'
            $devices[1].Available | Should -BeFalse
            $devices[1].MemoryBytes | Should -BeNullOrEmpty
        }
        ($devices | Format-Table | Out-String) | Should -Match 'Memory'
    }

    It 'completes -Device with the usable devices' {
        $line = 'New-StyleTransfer -Device '
        $names = (TabExpansion2 -inputScript $line -cursorColumn $line.Length).CompletionMatches.CompletionText
        $names[0..1] | Should -Be 'Auto', 'Cpu'
        if (-not ((Get-StyleDevice).Name -like 'Cuda:*')) { $names | Should -HaveCount 2 }
        $line = 'Get-StylePyramid x.jpg -Device c'
        (TabExpansion2 -inputScript $line -cursorColumn $line.Length).CompletionMatches.CompletionText | Should -Contain 'Cpu'
    }
}

Describe 'Thread budget per process' {
    BeforeAll {
        $cores = [Environment]::ProcessorCount
        $tiny = @{ Size = 48; Octaves = 1; Iterations = 2; Seed = 4 }
    }

    It 'gives a lone worker every core, and -ThreadCount or NEURALSTYLE_THREADS fixes the count' {
        (New-NeuralTexture -Source wood-planks.jpg @tiny -OutPath a.png).Threads | Should -Be $cores
        (New-NeuralTexture -Source wood-planks.jpg @tiny -OutPath b.png -ThreadCount 1).Threads | Should -Be 1
        $env:NEURALSTYLE_THREADS = '3'
        try { (New-NeuralTexture -Source wood-planks.jpg @tiny -OutPath c.png).Threads | Should -Be 3 }
        finally { Remove-Item Env:NEURALSTYLE_THREADS }
    }

    It 'refuses a NEURALSTYLE_THREADS that is not a count, before any work' {
        $env:NEURALSTYLE_THREADS = 'many'
        try {
            $err = { New-NeuralTexture -Source wood-planks.jpg @tiny -OutPath d.png } | Should -Throw -PassThru
            $err.FullyQualifiedErrorId | Should -BeLike 'InvalidThreadCount,*'
            $err.Exception.Message | Should -BeLike "*NEURALSTYLE_THREADS is 'many'*"
            Test-Path d.png | Should -BeFalse
        }
        finally { Remove-Item Env:NEURALSTYLE_THREADS }
    }

    It 'splits the cores between two ForEach-Object -Parallel workers' {
        # Each worker's session opens in New-NeuralTexture's begin block, before its input arrives; the input
        # waits (bounded) until both sessions are open, so both items run while two workers are counted.
        $results = 1..2 | ForEach-Object -ThrottleLimit 2 -Parallel {
            Import-Module $using:env:NEURALSTYLE_MODULE
            $worker = $_; $dir = $using:work; $tiny = $using:tiny
            & {
                $null = New-Item -ItemType File (Join-Path $dir "open-$worker")
                $deadline = [DateTime]::UtcNow.AddSeconds(60)
                while (@(Get-ChildItem $dir -Filter 'open-*').Count -lt 2 -and [DateTime]::UtcNow -lt $deadline) { Start-Sleep -Milliseconds 50 }
                Join-Path $dir 'wood-planks.jpg'
            } | New-NeuralTexture @tiny -OutPath (Join-Path $dir "w$worker.png")
        }
        $results | Should -HaveCount 2
        $half = [Math]::Max(1, [Math]::Floor($cores / 2))
        ($results.Threads -join ',') | Should -Be "$half,$half"
        # The worker count drops as sessions close: a lone worker afterwards gets every core again.
        (New-NeuralTexture -Source wood-planks.jpg @tiny -OutPath after.png).Threads | Should -Be $cores
    }
}

Describe 'Batches over PowerShell''s engines' {
    BeforeAll {
        $batch = Join-Path $TestDrive 'batch'
        $photos = Join-Path $batch 'photos'
        $null = New-Item -ItemType Directory $photos
        # Six distinct contents: three examples and their half-size pyramid levels.
        $null = Get-StylePyramid (Join-Path $examples 'cat.jpg'), (Join-Path $examples 'wood-planks.jpg'), (Join-Path $examples 'starry-night.jpg') `
            -Octaves 2 -OutputDirectory $photos -Device Cpu
        $files = @(Get-ChildItem $photos -Filter *.png | Sort-Object Name)
        $style = Join-Path $examples 'fabric-morris.jpg'
        # One thread per item everywhere: an output depends on the seed *and* the thread count (libtorch splits
        # its CPU reductions by thread), and the serial run alone would otherwise get every core.
        $tiny = @{ Style = $style; MaxSize = 64; Octaves = 1; Iterations = 3; Seed = 11; Device = 'Cpu'; ThreadCount = 1 }

        # File name -> SHA-256 of every output in a folder; fails on anything else there (a temp file, an extra name).
        function Get-OutputHashes([string] $Folder) {
            $all = @(Get-ChildItem $Folder -Force)
            $all | Where-Object Name -NotLike '*.fabric-morris.png' | Should -BeNullOrEmpty
            $hashes = @{}
            foreach ($f in $all) { $hashes[$f.Name] = (Get-FileHash -LiteralPath $f.FullName).Hash }
            $hashes
        }
        function Assert-SameOutputs([hashtable] $Actual) {
            ($Actual.Keys | Sort-Object) -join ',' | Should -Be (($reference.Keys | Sort-Object) -join ',')
            foreach ($name in $reference.Keys) { $Actual[$name] | Should -Be $reference[$name] -Because "$name must be byte-identical to the serial run" }
        }

        $serial = @($files | New-StyleTransfer -OutputDirectory (Join-Path $batch 'serial') @tiny)
        $reference = Get-OutputHashes (Join-Path $batch 'serial')
    }

    It 'a serial run writes six outputs' {
        $serial | Should -HaveCount 6
        $reference.Count | Should -Be 6
        @($reference.Values | Sort-Object -Unique) | Should -HaveCount 6
    }

    It 'ForEach-Object -Parallel -ThrottleLimit 2, one worker per device, writes what the serial run writes' {
        $out = Join-Path $batch 'parallel'
        $workers = 2
        # The README recipe, with Cpu for Cuda:$worker: worker k takes items k, k+n, k+2n, …
        $results = 0..($workers - 1) | ForEach-Object -ThrottleLimit $workers -Parallel {
            Import-Module $using:env:NEURALSTYLE_MODULE
            $worker = $_; $all = $using:files; $n = $using:workers; $tiny = $using:tiny
            $mine = 0..($all.Count - 1) | Where-Object { $_ % $n -eq $worker } | ForEach-Object { $all[$_] }
            $mine | New-StyleTransfer -OutputDirectory $using:out -SkipExisting @tiny
        }
        $results | Should -HaveCount 6
        Assert-SameOutputs (Get-OutputHashes $out)
    }

    It 'Start-Job, one process per worker, writes what the serial run writes' {
        $out = Join-Path $batch 'jobs'
        $workers = 2
        # The README recipe; its -ThreadCount (cores ÷ jobs) comes from $tiny here, 1 as in every run of this block.
        $jobs = foreach ($worker in 0..($workers - 1)) {
            Start-Job -ArgumentList $worker, $workers, $env:NEURALSTYLE_MODULE, @($files.FullName), $out, $tiny -ScriptBlock {
                param($worker, $n, $module, $all, $out, $tiny)
                Import-Module $module
                $mine = 0..($all.Count - 1) | Where-Object { $_ % $n -eq $worker } | ForEach-Object { $all[$_] }
                $mine | New-StyleTransfer -OutputDirectory $out -SkipExisting @tiny
            }
        }
        $results = $jobs | Receive-Job -Wait -AutoRemoveJob -ErrorAction Stop
        $results | Should -HaveCount 6
        $results.Threads | Sort-Object -Unique | Should -Be 1
        Assert-SameOutputs (Get-OutputHashes $out)
    }

    Describe 'PowerShell remoting over SSH to localhost' {
        BeforeAll {
            . (Join-Path $PSScriptRoot 'LoopbackSshServer.ps1')
            $sshUnavailable = Get-SshServerUnavailableReason
            if (-not $sshUnavailable) { $server = Start-LoopbackSshServer (Join-Path $TestDrive 'sshd') $env:NEURALSTYLE_MODULE }
        }
        AfterAll { if (-not $sshUnavailable) { Stop-LoopbackSshServer $server } }

        It 'opens a remote session that imports the module under test' {
            if ($sshUnavailable) { Set-ItResult -Skipped -Because $sshUnavailable; return }
            $ssh = $server.SshParameters
            $remote = Invoke-Command -HostName 127.0.0.1 @ssh -ErrorAction Stop -ScriptBlock {
                Import-Module NeuralStyle
                [pscustomobject]@{ Module = (Get-Module NeuralStyle).ModuleBase; Version = $PSVersionTable.PSVersion.ToString(); Pid = $PID }
            }
            $remote.Module | Should -Be $env:NEURALSTYLE_MODULE
            $remote.Version | Should -Be $PSVersionTable.PSVersion.ToString()
            $remote.Pid | Should -Not -Be $PID -Because 'the session runs in a process sshd started'
        }

        It 'the README''s many-machines recipe, as written, over two hosts writes what the serial run writes' {
            if ($sshUnavailable) { Set-ItResult -Skipped -Because $sshUnavailable; return }
            $readme = Get-Content -Raw (Join-Path $env:NEURALSTYLE_REPO 'README.md')
            $block = [regex]::Match($readme, '\*\*Many machines\*\*[\s\S]*?```powershell\r?\n([\s\S]*?)```').Groups[1].Value
            $parseErrors = $null
            $statements = [System.Management.Automation.Language.Parser]::ParseInput($block, [ref]$null, [ref]$parseErrors).EndBlock.Statements
            $parseErrors | Should -BeNullOrEmpty
            # The recipe's first lines are what a user sets; this test sets them, and runs the rest verbatim.
            ($statements[0..3] | ForEach-Object { $_.Left.VariablePath.UserPath }) -join ',' | Should -Be 'hosts,ssh,share,settings'
            $hosts = 'localhost', '127.0.0.1'
            $ssh = $server.SshParameters
            $share = $batch  # photos/ is there; the outputs go to styled/
            $settings = $tiny
            $ErrorActionPreference = 'Stop'  # an error record from any remote item fails the test
            foreach ($statement in $statements[4..($statements.Count - 1)]) {
                # Receive-Job -Wait has no timeout: the jobs get a bounded wait before the recipe collects them.
                if ($statement.Extent.Text -match 'Receive-Job') {
                    $finished = @($jobs | Wait-Job -Timeout 240)
                    if ($finished.Count -lt $jobs.Count) { $jobs | Stop-Job; throw "The remote jobs did not finish within 240 s: $($jobs.State -join ', ')" }
                }
                . ([scriptblock]::Create($statement.Extent.Text))
            }
            $results | Should -HaveCount 6
            ($results.PSComputerName | Group-Object | Sort-Object Name | ForEach-Object { "$($_.Name)=$($_.Count)" }) -join ',' |
                Should -Be '127.0.0.1=3,localhost=3'
            $results.Threads | Sort-Object -Unique | Should -Be 1
            Assert-SameOutputs (Get-OutputHashes (Join-Path $share 'styled'))
            $jobs | ForEach-Object { Get-Job -Id $_.Id -ErrorAction Ignore } | Should -BeNullOrEmpty -Because 'the recipe removes its jobs'
            Wait-LoopbackSshIdle $server | Should -BeNullOrEmpty -Because 'each host''s session and its pwsh end with its job'
        }
    }

    It 'finishes a batch whose worker was killed by running the same command again: no partial files, no duplicates' {
        $out = Join-Path $batch 'killed'
        $run = "Import-Module '$env:NEURALSTYLE_MODULE'; Get-ChildItem '$photos' -Filter *.png | Sort-Object Name | " +
            "New-StyleTransfer -Style '$style' -MaxSize 64 -Octaves 1 -Iterations 3 -Seed 11 -Device Cpu -ThreadCount 1 -OutputDirectory '$out' -SkipExisting"
        $exe, $arguments = @(Get-PwshLauncher) + '-NoProfile', '-NonInteractive', '-Command', $run
        $start = [Diagnostics.ProcessStartInfo]::new($exe)
        foreach ($a in $arguments) { $start.ArgumentList.Add($a) }
        $start.RedirectStandardOutput = $true
        $worker = [Diagnostics.Process]::Start($start)
        try {
            $deadline = [DateTime]::UtcNow.AddSeconds(120)
            while (-not $worker.HasExited -and @(Get-ChildItem $out -Filter *.png -ErrorAction Ignore).Count -lt 2 -and [DateTime]::UtcNow -lt $deadline) {
                Start-Sleep -Milliseconds 20
            }
            $worker.Kill()  # SIGKILL: no cleanup code runs
            $worker.WaitForExit()
        }
        finally { $worker.Dispose() }
        $done = @(Get-ChildItem $out -Filter *.png)
        $done.Count | Should -BeGreaterThan 0 -Because 'the worker was killed after its first outputs'
        $done.Count | Should -BeLessThan 6 -Because 'the worker was killed mid-batch'
        # Whatever the killed worker left under an output's name is complete: byte-identical to the serial run.
        foreach ($f in $done) { (Get-FileHash -LiteralPath $f.FullName).Hash | Should -Be $reference[$f.Name] }
        # A kill inside the final write itself, or inside the zero-byte write-permission probe of the next item
        # (OutputTarget.ProbeWritable: the kill comes right after an output appears, when that check runs), can
        # leave one hidden file of ours; it is never taken for an output.
        $temps = @(Get-ChildItem $out -Force | Where-Object { $_.Name -like '.*.tmp' -or $_.Name -like '.*.probe' })
        $temps.Count | Should -BeLessOrEqual 1
        $written = @{}; foreach ($f in $done) { $written[$f.Name] = $f.LastWriteTimeUtc }

        $again = & ([scriptblock]::Create($run.Replace('-SkipExisting', '-SkipExisting -Verbose'))) 4>&1
        $skipped = @($again | Where-Object { $_ -is [System.Management.Automation.VerboseRecord] -and $_.Message -like 'Skipped*' })
        $made = @($again | Where-Object { $_ -isnot [System.Management.Automation.VerboseRecord] })
        $skipped | Should -HaveCount $done.Count
        $made | Should -HaveCount (6 - $done.Count)
        foreach ($f in $done) { (Get-Item -LiteralPath $f.FullName).LastWriteTimeUtc | Should -Be $written[$f.Name] -Because "$($f.Name) was kept, not redone" }
        foreach ($t in $temps) { Remove-Item -LiteralPath $t.FullName -Force }
        Assert-SameOutputs (Get-OutputHashes $out)
    }

    It 'refuses -SkipExisting with -Force, before any work' {
        { $files | New-StyleTransfer -OutputDirectory (Join-Path $batch 'serial') -SkipExisting -Force @tiny } |
            Should -Throw -ExpectedMessage '*either -Force*or -SkipExisting*'
        Assert-SameOutputs (Get-OutputHashes (Join-Path $batch 'serial'))
    }
}
}
