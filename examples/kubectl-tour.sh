# A tour of the lab's kubectl: create, inspect, change and watch a small app.
# Run: svclab run examples/kubectl-tour.sh   (time only moves on sleep, wait and get -w)
kubectl create deployment web --image nginx:1.27 --replicas 3 --port 80
kubectl expose deployment web --port 80 --target-port 80
kubectl wait --for=condition=Available deployment/web
kubectl get all
kubectl get pods -o wide --show-labels
kubectl get svc web -o jsonpath='{.spec.clusterIP}'
echo
kubectl get endpointslices -l kubernetes.io/service-name=web
kubectl describe svc web
# Pipes and redirects work as in a shell.
kubectl get pods -l app=web -o name | head -n 1 > first.txt
cat first.txt
kubectl scale deployment web --replicas 2
kubectl rollout status deployment/web
kubectl label svc web tier=frontend
kubectl patch svc web -p '{"spec":{"type":"NodePort"}}'
kubectl get svc web -o yaml
kubectl run -it --rm --image busybox:1.28 dns-test --restart=Never -- nslookup web
kubectl delete svc web
kubectl delete deployment web
kubectl get pods -w
