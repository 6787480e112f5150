BeforeAll {
    . (Join-Path $PSScriptRoot 'TestHelpers.ps1')
    Import-Module $env:NEURALSTYLE_MODULE -Force
    $examples = Join-Path $env:NEURALSTYLE_REPO 'examples'

    # A checkpoint's sidecar as an object, or $null while there is none (it is renamed into place, so never half-read).
    function Get-Sidecar([string] $Path) {
        if (Test-Path -LiteralPath $Path) { [IO.File]::ReadAllText($Path) | ConvertFrom-Json }
    }

    # Runs $Command in another runspace, as a user's console would, and stops it (what Ctrl+C does) as soon as
    # the sidecar records stage $Stage (0-based); returns the sidecar as the stopped run left it.
    function Stop-AtCheckpoint([string] $Folder, [string] $Command, [string] $Sidecar, [int] $Stage) {
        $ps = [powershell]::Create()
        try {
            $null = $ps.AddScript("Import-Module '$env:NEURALSTYLE_MODULE'; Set-Location -LiteralPath '$Folder'; $Command")
            $async = $ps.BeginInvoke()
            $deadline = [DateTime]::UtcNow.AddSeconds(300)
            while (-not $async.IsCompleted -and [DateTime]::UtcNow -lt $deadline -and (Get-Sidecar $Sidecar).stage -lt $Stage) { Start-Sleep -Milliseconds 10 }
            $ps.Stop()
            $ps.InvocationStateInfo.State | Should -Be 'Stopped' -Because 'the run must be stopped in its last stage, not finish'
        }
        finally { $ps.Dispose() }
        Get-Sidecar $Sidecar
    }

    function Get-Hashes([string] $Folder) {
        Get-ChildItem -LiteralPath $Folder -File -Force | Sort-Object Name | ForEach-Object { "$($_.Name)=$((Get-FileHash -LiteralPath $_.FullName).Hash)" }
    }

    # One interrupted run of each cmdlet, stopped early in its last stage (two stages of 8 steps, a checkpoint
    # every 2); every test starts from a copy of what it left.
    $texture = @{ Size = 64; Octaves = 2; Iterations = 8; CheckpointEvery = 2; OutPath = 't.png' }
    $transfer = @{ MaxSize = 96; Octaves = 2; Iterations = 8; CheckpointEvery = 2; OutPath = 'c.png'; CoarseToFine = $true }
    $stopped = Join-Path $TestDrive 'stopped'
    $null = New-Item -ItemType Directory $stopped
    Copy-Item (Join-Path $examples 'wood-planks.jpg'), (Join-Path $examples 'cat.jpg'), (Join-Path $examples 'starry-night.jpg'), (Join-Path $examples 'fabric-morris.jpg') $stopped
    $textureStop = Stop-AtCheckpoint $stopped 'New-NeuralTexture -Source wood-planks.jpg -Size 64 -Octaves 2 -Iterations 8 -CheckpointEvery 2 -Seed 3 -OutPath t.png' (Join-Path $stopped 't.checkpoint.png.json') 1
    $transferStop = Stop-AtCheckpoint $stopped 'New-StyleTransfer -Content cat.jpg -Style starry-night.jpg -MaxSize 96 -Octaves 2 -Iterations 8 -CheckpointEvery 2 -Seed 3 -CoarseToFine -OutPath c.png' (Join-Path $stopped 'c.checkpoint.png.json') 1
}

# Issue #11 (8): a stopped run keeps its checkpoint deliberately, and -Resume continues from it.
Describe 'Resuming an interrupted run' {
    BeforeEach {
        $work = Join-Path $TestDrive ([guid]::NewGuid())
        $null = New-Item -ItemType Directory $work
        Copy-Item (Join-Path $stopped '*') $work
        Push-Location $work
    }
    AfterEach { Pop-Location }

    It 'a stopped run leaves its checkpoint image, sidecar and exact pixels, and no output' {
        Test-Path t.png | Should -BeFalse
        $textureStop.format | Should -Be 'NeuralStyle checkpoint'
        $textureStop.stage, $textureStop.stages, $textureStop.stageSteps | Should -Be 1, 2, 8
        $textureStop.step | Should -BeIn 2, 4, 6
        $textureStop.width, $textureStop.height | Should -Be 64, 64
        $textureStop.settings.Seed | Should -Be '3'
        $textureStop.settings.'Iterations per stage' | Should -Be '8'
        $textureStop.settings.'Source 1' | Should -BeLike 'wood-planks.jpg (* bytes, SHA-256 *), weight 1'
        (Get-Item t.checkpoint.png.f32).Length | Should -Be (64 * 64 * 3 * 4)
        (Get-FileHash t.checkpoint.png.f32 -Algorithm SHA256).Hash | Should -Be $textureStop.pixelsSha256.ToUpperInvariant()
        [SixLabors.ImageSharp.Image]::Identify((Join-Path $work 't.checkpoint.png')).Width | Should -Be 64
    }

    It 'continues from the recorded stage and step with the checkpoint''s seed, and removes the checkpoint (<Command>)' -ForEach @(
        @{ Command = 'New-NeuralTexture'; Name = 't' }, @{ Command = 'New-StyleTransfer'; Name = 'c' }
    ) {
        $recorded = if ($Command -eq 'New-NeuralTexture') { $textureStop } else { $transferStop }
        # The same command again with -Resume (and no -Seed: the checkpoint's is used).
        $result = if ($Command -eq 'New-NeuralTexture') { New-NeuralTexture -Source wood-planks.jpg @texture -Resume -Verbose 4>&1 }
        else { New-StyleTransfer -Content cat.jpg -Style starry-night.jpg @transfer -Resume -Verbose 4>&1 }
        $verbose = $result | Where-Object { $_ -is [System.Management.Automation.VerboseRecord] } | ForEach-Object Message
        $info = $result | Where-Object { $_ -isnot [System.Management.Automation.VerboseRecord] }
        $verbose | Should -Contain "Resuming from '$(Join-Path $work "$Name.checkpoint.png")': stage 2 of 2, after step $($recorded.step) of 8 (the optimiser's history starts afresh)."
        # Only the rest of the last stage ran (an uninterrupted run takes 16 steps).
        $info.Steps | Should -Be (8 - $recorded.step)
        $info.Seed | Should -Be 3
        Test-Path "$Name.png" | Should -BeTrue
        Get-ChildItem $work -Force -Filter "$Name.checkpoint*" | Should -BeNullOrEmpty
        Get-ChildItem $work -Force | Where-Object Name -like '*.tmp' | Should -BeNullOrEmpty
    }

    It 'resuming the same checkpoint twice gives byte-identical outputs' {
        $null = New-Item -ItemType Directory keep
        Copy-Item t.checkpoint.png* keep
        $first = New-NeuralTexture -Source wood-planks.jpg @texture -Seed 3 -Resume
        $firstHash = (Get-FileHash t.png).Hash
        Remove-Item t.png
        Copy-Item keep/* .
        $second = New-NeuralTexture -Source wood-planks.jpg @texture -Seed 3 -Resume
        $second.Steps | Should -Be $first.Steps
        (Get-FileHash t.png).Hash | Should -Be $firstHash
    }

    It 'refuses a checkpoint made with other settings or inputs, says what differs, and deletes nothing (<Change>)' -ForEach @(
        @{ Change = 'more iterations'; Extra = @{ Iterations = 10 }; Says = 'Iterations per stage was 8, now 10' }
        @{ Change = 'another seed'; Extra = @{ Seed = 4 }; Says = 'Seed was 3, now 4' }
        @{ Change = 'an edited source'; Extra = @{}; Edit = $true; Says = 'Source 1 was wood-planks.jpg (' }
    ) {
        if ($Edit) { Copy-Item fabric-morris.jpg wood-planks.jpg -Force }
        $changed = $texture.Clone()
        foreach ($key in $Extra.Keys) { $changed[$key] = $Extra[$key] }
        $before = Get-Hashes $work
        New-NeuralTexture -Source wood-planks.jpg @changed -Resume -ErrorVariable err -ErrorAction SilentlyContinue | Should -BeNullOrEmpty
        $err | Should -HaveCount 1
        $err[0].FullyQualifiedErrorId | Should -BeLike 'CheckpointMismatch,*'
        $err[0].CategoryInfo.Category | Should -Be 'InvalidArgument'
        $err[0].TargetObject | Should -Be (Join-Path $work 't.checkpoint.png')
        $err[0].Exception.Message | Should -BeLike "*$Says*"
        $err[0].Exception.Message | Should -BeLike '*without -Resume*'
        (Get-Hashes $work) -join ';' | Should -Be ($before -join ';')
    }

    It 'refuses a damaged checkpoint before any work and deletes nothing (<Damage>)' -ForEach @(
        @{ Damage = 'truncated pixels'; Says = 'truncated' }
        @{ Damage = 'a cut-off sidecar'; Says = 'not valid JSON' }
    ) {
        if ($Damage -eq 'truncated pixels') { [IO.File]::WriteAllBytes((Join-Path $work 't.checkpoint.png.f32'), [IO.File]::ReadAllBytes((Join-Path $work 't.checkpoint.png.f32'))[0..999]) }
        else { $text = Get-Content -Raw t.checkpoint.png.json; Set-Content t.checkpoint.png.json $text.Substring(0, 200) -NoNewline }
        $before = Get-Hashes $work
        # A non-terminating error: the item fails, a batch would go on.
        New-NeuralTexture -Source wood-planks.jpg @texture -Seed 3 -Resume -ErrorVariable err -ErrorAction SilentlyContinue | Should -BeNullOrEmpty
        $err | Should -HaveCount 1
        $err[0].FullyQualifiedErrorId | Should -BeLike 'CheckpointDamaged,*'
        $err[0].CategoryInfo.Category | Should -Be 'InvalidData'
        $err[0].TargetObject | Should -Be (Join-Path $work 't.checkpoint.png')
        $err[0].Exception.Message | Should -BeLike "*$Says*"
        (Get-Hashes $work) -join ';' | Should -Be ($before -join ';')
    }

    It 'never uses or touches a user''s files named like a checkpoint, and starts normally without one' {
        Remove-Item t.checkpoint.png*
        Copy-Item wood-planks.jpg t.checkpoint.png
        Set-Content t.checkpoint.png.json '{ "my": "notes" }'
        $before = Get-Hashes $work
        $result = New-NeuralTexture -Source wood-planks.jpg -Size 64 -Octaves 2 -Iterations 3 -OutPath t.png -Seed 3 -Resume -Verbose 4>&1
        $verbose = $result | Where-Object { $_ -is [System.Management.Automation.VerboseRecord] } | ForEach-Object Message
        # -Resume alone writes checkpoints (every 10 steps), under a free name.
        $verbose | Should -Contain "Checkpoint every 10 steps: '$(Join-Path $work 't.checkpoint.1.png')'."
        $verbose -like 'Resuming*' | Should -BeNullOrEmpty
        ($result | Where-Object { $_ -isnot [System.Management.Automation.VerboseRecord] }).Steps | Should -Be 6
        (Get-Hashes $work | Where-Object { $_ -notlike 't.png=*' }) -join ';' | Should -Be ($before -join ';')
    }
}
