# Scale-out (#14): device per worker, the per-process thread budget, batches that resume.
BeforeAll {
    . (Join-Path $PSScriptRoot 'TestHelpers.ps1')
    Import-Module $env:NEURALSTYLE_MODULE -Force
    $examples = Join-Path $env:NEURALSTYLE_REPO 'examples'
}

Describe 'Devices per worker' {
    BeforeEach {
        $work = Join-Path $TestDrive ([guid]::NewGuid())
        $null = New-Item -ItemType Directory $work
        Copy-Item (Join-Path $examples 'wood-planks.jpg') $work
        Push-Location $work
    }
    AfterEach { Pop-Location }

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

    It 'refuses text that is not a device when the parameter binds' {
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
    BeforeEach {
        $work = Join-Path $TestDrive ([guid]::NewGuid())
        $null = New-Item -ItemType Directory $work
        Copy-Item (Join-Path $examples 'wood-planks.jpg') $work
        Push-Location $work
    }
    AfterEach { Pop-Location }

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
            $err.FullyQualifiedErrorId | Should -BeLike 'InvalidArgument,*'
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
