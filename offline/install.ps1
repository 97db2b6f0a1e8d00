# nhfind offline installer for Windows. Needs Python 3.11 or newer and nothing from the network.
#
#   powershell -ExecutionPolicy Bypass -File install.ps1 [FOLDER] [--bin DIR] [--no-launcher]
#
# FOLDER (default %USERPROFILE%\nhfind) becomes a Python virtual environment made from the wheels in this folder
# only; an `nhfind` launcher (nhfind.cmd) goes in %USERPROFILE%\.local\bin, which is added to your PATH. Run it again
# from a newer bundle to upgrade: your imported records and data updates are kept. $env:PYTHON picks the Python.
#
# Order: find Python, check every file against SHA256SUMS, then install.py does the rest.

# Continue: Python's own messages on stderr must not turn into PowerShell errors (Windows PowerShell 5.1).
$ErrorActionPreference = 'Continue'
$here = $PSScriptRoot

function Stop-Install([string]$line) {
    [Console]::Error.WriteLine("install.ps1: $line")
    exit 1
}

# A candidate is a command and its leading arguments: the py launcher takes a version switch.
function Get-PythonVersion([string[]]$candidate) {
    $exe = $candidate[0]
    $rest = @($candidate | Select-Object -Skip 1)
    if (-not (Get-Command $exe -ErrorAction SilentlyContinue)) { return $null }
    try {
        $out = & $exe @rest -c 'import sys; print(*sys.version_info[:2], sep=chr(46))' 2>$null
    } catch { return $null }
    if ($LASTEXITCODE -ne 0 -or -not $out) { return $null }
    $text = "$out".Trim()
    if ($text -match '^\d+\.\d+$') { return $text }
    return $null
}

function Test-NewEnough([string]$version) {
    $parts = $version.Split('.')
    return ([int]$parts[0] -gt 3) -or (([int]$parts[0] -eq 3) -and ([int]$parts[1] -ge 11))
}

if ($env:PYTHON) {
    $candidates = @(, @($env:PYTHON))
} else {
    # python.exe may be the Microsoft Store's stand-in, which prints nothing: Get-PythonVersion skips it.
    $candidates = @(@('py', '-3.14'), @('py', '-3.13'), @('py', '-3.12'), @('py', '-3.11'), @('python'), @('python3'))
}
$python = $null
$found = $null
foreach ($candidate in $candidates) {
    $v = Get-PythonVersion $candidate
    if (-not $v) { continue }
    if (Test-NewEnough $v) { $python = $candidate; break }
    if (-not $found) { $found = "$($candidate -join ' ') is Python $v" }
}
if (-not $python) {
    if ($found) {
        Stop-Install "nhfind needs Python 3.11 or newer, and $($found): install a newer Python from python.org (README.txt), or name one: `$env:PYTHON = 'C:\path\to\python.exe'"
    }
    Stop-Install "nhfind needs Python 3.11 or newer, and no Python was found: install it from python.org first (README.txt), or name one: `$env:PYTHON = 'C:\path\to\python.exe'"
}
$exe = $python[0]
$pre = @($python | Select-Object -Skip 1)

$verify = @'
@VERIFY@
'@
$verify | & $exe @pre -I - $here install.ps1
if ($LASTEXITCODE -ne 0) { exit 1 }

& $exe @pre -I (Join-Path $here 'install.py') @args
exit $LASTEXITCODE
